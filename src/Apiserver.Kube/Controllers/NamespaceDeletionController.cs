using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Namespaces;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// Finishes the deletion of namespaces marked Terminating: deletes everything in them, then
/// removes the <c>kubernetes</c> finalizer so the namespace itself goes. Driven by a watch on
/// namespaces, with a periodic resync for content whose own finalizers held it back.
/// </summary>
internal sealed partial class NamespaceDeletionController(GenericStore namespaces, IReadOnlyList<GenericStore> namespacedStores, ILogger logger)
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAllAsync(cancellationToken);
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(Resync);
                // Wake early when a namespace changes (a deletion starts).
                var list = await namespaces.ListAsync(new RequestContext(""), new ListOptions(), idle.Token);
                var options = new ListOptions { ResourceVersion = list.Metadata()["resourceVersion"]!.ToString() };
                await foreach (var e in namespaces.WatchAsync(new RequestContext(""), options, idle.Token))
                {
                    if (e.Object.Node.Metadata()["deletionTimestamp"] is not null)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Resync time.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        var list = await namespaces.ListAsync(new RequestContext(""), new ListOptions(), cancellationToken);
        foreach (var ns in ((JsonArray)list["items"]!).OfType<JsonObject>())
        {
            if (ns.Metadata()["deletionTimestamp"] is not null)
            {
                await FinalizeAsync(ns.GetName(), cancellationToken);
            }
        }
    }

    private async Task FinalizeAsync(string name, CancellationToken cancellationToken)
    {
        var remaining = 0;
        foreach (var store in namespacedStores)
        {
            var context = new RequestContext(name);
            var items = await store.ListAsync(context, new ListOptions(), cancellationToken);
            foreach (var item in ((JsonArray)items["items"]!).OfType<JsonObject>())
            {
                remaining++;
                if (item.Metadata()["deletionTimestamp"] is null)
                {
                    try
                    {
                        await store.DeleteAsync(context, item.GetName(), new DeleteOptions(), cancellationToken);
                    }
                    catch (StatusException e) when (e.Code == 404)
                    {
                    }
                }
            }
        }
        if (remaining > 0)
        {
            return; // Content is still going; the next pass finishes the namespace.
        }
        await namespaces.UpdateSystemFieldsAsync("", name, ns =>
        {
            if (!NamespaceResource.SpecFinalizers(ns).Contains(NamespaceResource.KubernetesFinalizer))
            {
                return false;
            }
            ns["spec"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. NamespaceResource.SpecFinalizers(ns).Where(f => f != NamespaceResource.KubernetesFinalizer).Select(f => (JsonNode)f)]),
            };
            return true;
        }, cancellationToken);
        try
        {
            // With no finalizers left, this delete removes the namespace.
            await namespaces.DeleteAsync(new RequestContext(""), name, new DeleteOptions(), cancellationToken);
            LogDeleted(logger, name);
        }
        catch (StatusException e) when (e.Code == 404)
        {
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Namespace deletion pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Namespace {Name} deleted")]
    private static partial void LogDeleted(ILogger logger, string name);
}
