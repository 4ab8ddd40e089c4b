using System.Diagnostics;
using System.Text;

namespace KubeApiserver.Tests.E2E;

/// <summary>Runs the real <c>kubectl</c> against a test server's admin kubeconfig.</summary>
internal sealed class Kubectl(string kubeconfig)
{
    /// <summary>The kubectl on PATH (on these machines, a dispatcher that picks a version by the server's).</summary>
    public static string Binary => File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : "kubectl";

    /// <summary>Runs kubectl to completion; <paramref name="environment"/> adds or overrides variables (such as <c>KUBE_EDITOR</c>).</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments, string? stdin = null, int timeoutSeconds = 60, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, redirectInput: stdin is not null, environment);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish in {timeoutSeconds}s");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs kubectl and returns its output, failing when it exits non-zero.</summary>
    public async Task<string> OkAsync(string arguments, string? stdin = null)
    {
        var (code, output, error) = await RunAsync(arguments, stdin);
        if (code != 0)
        {
            throw new InvalidOperationException($"kubectl {arguments} exited {code}: {error}{output}");
        }
        return output;
    }

    /// <summary>Starts a long-running kubectl (such as <c>get -w</c>); the caller reads and kills it.</summary>
    public Process Start(string arguments, bool redirectInput = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        foreach (var argument in SplitArguments(arguments))
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    // Splits on spaces, keeping 'single-quoted' arguments whole.
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in arguments)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
