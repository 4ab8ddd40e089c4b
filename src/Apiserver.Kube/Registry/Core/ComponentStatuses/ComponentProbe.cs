using System.Net.Sockets;

namespace Apiserver.Kube.Registry.Core.ComponentStatuses;

/// <summary>
/// One component a <c>componentstatuses</c> read reports on, and how to check it. The outcome is
/// kube's <c>probe.Result</c>: <c>True</c> (healthy), <c>False</c> (unhealthy) or <c>Unknown</c>.
/// </summary>
/// <param name="Name">The component's name, e.g. <c>scheduler</c> or <c>etcd-0</c>.</param>
/// <param name="Check">Checks the component: its status, message and error.</param>
public sealed record ComponentProbe(string Name, Func<CancellationToken, Task<ComponentHealth>> Check)
{
    /// <summary>
    /// kube's HTTP check of a component's health endpoint (served with a certificate nobody is
    /// asked to trust): a 2xx or 3xx answer is healthy with its body as the message, any other
    /// answer or an unreachable endpoint unhealthy with the reason as the message.
    /// </summary>
    public static ComponentProbe Http(string name, Uri url, HttpClient client) => new(name, async ct =>
    {
        try
        {
            using var response = await client.GetAsync(url, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400
                ? new ComponentHealth("True", body, "")
                : new ComponentHealth("False", $"HTTP probe failed with statuscode: {code}", "");
        }
        catch (HttpRequestException e)
        {
            return new ComponentHealth("False", $"Get \"{url}\": {Describe(url, e)}", "");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ComponentHealth("False", $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "");
        }
    });

    // Go's wording for the common failure (nothing listening), the runtime's otherwise.
    private static string Describe(Uri url, HttpRequestException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
            ? $"dial tcp {url.Host}:{url.Port}: connect: connection refused"
            : e.Message;
}

/// <summary>The outcome of a component check, as a <c>Healthy</c> condition carries it.</summary>
/// <param name="Status"><c>True</c>, <c>False</c> or <c>Unknown</c>.</param>
/// <param name="Message">What the component said (<c>ok</c>), or why it could not be reached.</param>
/// <param name="Error">The error of a check that failed to run, else empty.</param>
public sealed record ComponentHealth(string Status, string Message, string Error);
