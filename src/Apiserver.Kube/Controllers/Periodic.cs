namespace Apiserver.Kube.Controllers;

/// <summary>Runs a controller's pass every interval until shutdown; a failed pass is reported and the next one tried.</summary>
internal static class Periodic
{
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> pass, Action<Exception> onFailure, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await pass(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    onFailure(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
