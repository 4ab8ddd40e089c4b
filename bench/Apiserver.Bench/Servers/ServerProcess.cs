using System.Diagnostics;
using System.Text.RegularExpressions;
using Apiserver.Bench.Targets;
using Apiserver.Generic.Server.Certificates;

namespace Apiserver.Bench.Servers;

/// <summary>
/// kube-apiserver as a child process (<c>dotnet kube-apiserver.dll</c>) on a free loopback port over
/// a temporary data directory, so that its CPU time and memory are its own and can be read from /proc.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, string dataDir)
    {
        _process = process;
        DataDir = dataDir;
        Meter = new ProcessMeter(process.Id);
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public string DataDir { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>The admin's bearer token, from the first column of <c>&lt;data-dir&gt;/admin-token.csv</c>.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The generated CA, from <c>&lt;data-dir&gt;/pki/ca.crt</c>.</summary>
    public string CaCertificatePem { get; private set; } = "";

    public ProcessMeter Meter { get; }

    /// <summary>From the process's start to its log line saying it is ready (<c>/readyz</c> then answers 200).</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>Its resident set once idle after start-up (a second after it became ready), in bytes.</summary>
    public long IdleRss { get; private set; }

    /// <summary>The last lines the server wrote, for the report when it fails.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    /// <summary>Starts the server and waits until it is ready (within a minute).</summary>
    public static async Task<ServerProcess> StartAsync(string serverDll, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"the server executable {serverDll} does not exist (pass --server-dll)", serverDll);
        }
        var dataDir = Directory.CreateTempSubdirectory("kube-apiserver-bench-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[serverDll, "--data-dir", dataDir, "--bind-address", "127.0.0.1", "--secure-port", "0", .. extraArguments])
        {
            info.ArgumentList.Add(argument);
        }

        var started = Stopwatch.StartNew();
        var server = new ServerProcess(Process.Start(info)!, dataDir);
        try
        {
            await server.WaitUntilReadyAsync(started, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Dispose();
        TempDirectory.Delete(DataDir);
    }

    private async Task WaitUntilReadyAsync(Stopwatch started, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var serving = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The server logs when it turns ready: timed there, the harness's own cold HTTPS client
        // (its first handshake costs more than a hundred milliseconds) is not counted.
        var ready = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Keep draining both streams for the server's whole life so that it never blocks on a full pipe.
        _ = PumpAsync(_process.StandardOutput, serving, ready, started);
        _ = PumpAsync(_process.StandardError, serving, ready, started);
        var exited = _process.WaitForExitAsync(timeout.Token);
        if (await Task.WhenAny(serving.Task, exited) != serving.Task)
        {
            timeout.Token.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the server exited ({_process.ExitCode}) before serving:{Environment.NewLine}{RecentOutput}");
        }
        Address = await serving.Task;
        AdminToken = File.ReadAllText(Path.Combine(DataDir, "admin-token.csv")).Split(',')[0].Trim();
        CaCertificatePem = File.ReadAllText(Path.Combine(DataDir, "pki", SelfSignedCertificates.CaCertFile));

        using var http = BenchHttp.CreateClient(Address, CaCertificatePem, AdminToken);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/readyz", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }
        StartToReady = ready.Task.IsCompletedSuccessfully ? ready.Task.Result : started.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        IdleRss = Meter.RssBytes;
    }

    private async Task PumpAsync(StreamReader reader, TaskCompletionSource<Uri> serving, TaskCompletionSource<TimeSpan> ready, Stopwatch started)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > 40)
                {
                    _lastLines.Dequeue();
                }
            }
            if (ServingLine().Match(line) is { Success: true } match)
            {
                serving.TrySetResult(new Uri(match.Groups[1].Value));
            }
            else if (line.Contains("the server is ready", StringComparison.Ordinal))
            {
                ready.TrySetResult(started.Elapsed);
            }
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"serving at (https://\S+?)/?$")]
    private static partial Regex ServingLine();
}
