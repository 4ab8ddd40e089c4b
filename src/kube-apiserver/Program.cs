using System.CommandLine;
using KubeApiserver;
using KubeApiserver.Options;
using Microsoft.Extensions.Logging;

var root = new RootCommand("kube-apiserver: the Kubernetes API server, in .NET. With no flags it serves HTTPS on 127.0.0.1:6443 over an embedded store in ./.kube-apiserver.");
KubeApiserverOptions.AddTo(root);
root.SetAction(async (result, cancellationToken) =>
{
    using var loggerFactory = LoggerFactory.Create(logging => logging
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
        .SetMinimumLevel(LogLevel.Information)
        // Kestrel logs two lines per request at Information; kube-apiserver logs requests only at -v=3 and up.
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
    var log = loggerFactory.CreateLogger("kube-apiserver");
    var options = KubeApiserverOptions.Read(result);
    ServerChain chain;
    try
    {
        chain = await ServerChain.CreateAsync(options, loggerFactory, cancellationToken);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"Error: {e.Message}");
        return 1;
    }
    await using (chain)
    {
        await chain.StartAsync(cancellationToken);
        Console.WriteLine($"kube-apiserver is serving at {chain.Address}");
        Console.WriteLine($"Use it with: kubectl --kubeconfig {chain.KubeconfigPath} get namespaces");
        // Start-up (schemas, the bootstrap policy) leaves garbage and a grown allocation budget
        // behind; once it is ready, one compacting collection gives that memory back, so an idle
        // server holds only what it uses. The process is ours, so this is the place for it (an
        // embedding host decides for its own process).
        _ = chain.Server.Started.ContinueWith(
            _ => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.LogInformation("Received termination signal; shutting down");
        }
    }
    return 0;
});
return await root.Parse(args).InvokeAsync();
