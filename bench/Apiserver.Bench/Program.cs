using System.CommandLine;
using Apiserver.Bench;
using Apiserver.Bench.Report;
using Apiserver.Bench.Running;
using Apiserver.Bench.Targets;

var root = new RootCommand(
    "Benchmarks kube-apiserver: starts it on SQLite or etcd (or loads a running one on loopback), " +
    "drives create, get, update, list, paginated list, watch fan-out and mixed load over HTTPS, and prints " +
    "one line per phase beside the same load on the storage backend and on bare Kestrel.");
BenchOptions.AddTo(root);
root.SetAction(async (result, cancellationToken) =>
{
    var options = BenchOptions.Read(result);
    if (options.Validate() is { Count: > 0 } problems)
    {
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
        }
        return 2;
    }

    BenchSession session;
    try
    {
        session = await BenchSession.StartAsync(options, cancellationToken);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        await Console.Error.WriteLineAsync($"error: could not start: {e.Message}");
        return 1;
    }

    await using (session)
    {
        Console.WriteLine(Header(options, session));
        var run = new BenchRun(options, session.Objects, session.Server, session.Process?.Meter, session.Baselines, Console.Out);
        try
        {
            await run.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted: stopping the server and removing temporary files");
            return 130;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}");
            if (session.Process is { } process)
            {
                await Console.Error.WriteLineAsync($"the server's last output:{Environment.NewLine}{process.RecentOutput}");
            }
            return 1;
        }
        finally
        {
            if (session.Process is null && session.Server is HttpTarget server)
            {
                foreach (var ns in run.Namespaces)
                {
                    await server.DeleteNamespaceAsync(ns, CancellationToken.None);
                }
            }
        }
    }
    return 0;
});

// Ctrl+C cancels the run; leave time to stop the child server and delete temporary directories.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });

static string Header(BenchOptions options, BenchSession session)
{
    var target = session.Process is { } process
        ? $"kube-apiserver child pid {process.Meter.Pid} on {options.Backend}, ready {process.StartToReady.TotalSeconds:F2} s after start, idle rss {ResultLine.Mib(process.IdleRss)} MiB"
        : $"kube-apiserver at {options.Url} (server cpu and rss not measured)";
    var client = options.Http2
        ? "client HTTP/2 over TLS, concurrent requests sharing connections (as many as the server's stream limit needs)"
        : "client HTTP/1.1 keep-alive over TLS, one connection per concurrent request";
    return $"# {target}; {options.Objects} objects of {options.ObjectSize} B; {client}; " +
           $"{Environment.ProcessorCount} cores; latencies in ms, cpu = server CPU time per operation";
}
