using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>
/// A watch: newline-delimited JSON events (<c>{"type":"ADDED","object":{…}}</c>), flushed as they come,
/// until the client leaves, <c>timeoutSeconds</c> passes (by default a random time between 30 and
/// 60 minutes, as kube-apiserver spreads re-watches), or the server shuts down.
/// </summary>
internal static class WatchHandler
{
    private static readonly TimeSpan MinRequestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Written but unflushed bytes past which a watcher's events are flushed even while more are ready.</summary>
    private const long FlushThreshold = 64 * 1024;

    public static async Task HandleAsync(HandlerScope scope, IWatcher watcher)
    {
        var http = scope.Http;
        var options = QueryOptions.List(http.Request.Query);
        ListOptionsValidation.Validate(options, watch: true);
        if (scope.Info.Name.Length > 0)
        {
            // The legacy watch of one object by path is a watch selecting that name.
            var byName = $"metadata.name={scope.Info.Name}";
            options = options with { FieldSelector = string.IsNullOrEmpty(options.FieldSelector) ? byName : $"{options.FieldSelector},{byName}" };
        }
        var format = scope.Negotiate(isList: false, streaming: true);
        // A missing or non-positive timeoutSeconds leaves the choice to the server.
        var timeout = options.Timeout is { } asked && asked > TimeSpan.Zero ? asked : MinRequestTimeout * (1 + Random.Shared.NextDouble());
        var stopping = http.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        cancel.CancelAfter(timeout);

        // Bad options fail in WatchAsync itself, before the headers, and so answer with a Status.
        await using var events = watcher.WatchAsync(scope.Context, options, cancel.Token).GetAsyncEnumerator(cancel.Token);

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(cancel.Token);
        // Send the headers now: clients wait for them before reading events, and an idle watch has none to send.
        await http.Response.BodyWriter.FlushAsync(cancel.Token);
        var tableOptions = HandlerScope.TableOptionsOf(http.Request);
        var body = http.Response.BodyWriter;
        var first = true;
        long unflushed = 0;
        // As kube's watch server, flush only when no further event is ready: a watcher that fell
        // behind catches up in a few large writes rather than one per event.
        var next = NextAsync(events);
        var pending = true;
        try
        {
            while (true)
            {
                if (unflushed > 0 && (!next.IsCompleted || unflushed >= FlushThreshold))
                {
                    await body.FlushAsync(cancel.Token);
                    unflushed = 0;
                }
                pending = false;
                if (await next is not { } e)
                {
                    break;
                }
                var obj = e.Object;
                if (format.Shape != ResponseShape.Object && e.Type is not ("ERROR" or "BOOKMARK"))
                {
                    obj = scope.Shape(obj.Node, format, tableOptions with { NoHeaders = !first });
                    first = false;
                }
                unflushed += WriteEvent(body, e.Type, obj);
                if (e.Type == "ERROR")
                {
                    await body.FlushAsync(cancel.Token);
                    break;
                }
                next = NextAsync(events);
                pending = true;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The watch ended by timeout, shutdown or the client leaving: a normal end of stream.
        }
        finally
        {
            if (pending)
            {
                // A flush failed while the next event was awaited: end that wait before the events are disposed.
                await cancel.CancelAsync();
                try
                {
                    await next;
                }
                catch (Exception)
                {
                    // The flush's failure is the one that matters.
                }
            }
        }
    }

    /// <summary>The next event, null at the end, or an ERROR event when the stream fails past its start.</summary>
    private static async ValueTask<WatchObjectEvent?> NextAsync(IAsyncEnumerator<WatchObjectEvent> events)
    {
        try
        {
            return await events.MoveNextAsync() ? events.Current : null;
        }
        catch (StatusException e)
        {
            return new WatchObjectEvent("ERROR", e.ToStatus());
        }
    }

    /// <summary>Writes one event line; returns its length.</summary>
    private static long WriteEvent(PipeWriter body, string type, ObjectJson obj)
    {
        if (obj.Utf8 is { } json && type is "ADDED" or "MODIFIED" or "DELETED")
        {
            // The common case, written without a JSON writer: the object's bytes are shared by every watcher of the event.
            var prefix = type switch { "ADDED" => """{"type":"ADDED","object":"""u8, "MODIFIED" => """{"type":"MODIFIED","object":"""u8, _ => """{"type":"DELETED","object":"""u8 };
            body.Write(prefix);
            body.Write(json.Span);
            body.Write("}\n"u8);
            return prefix.Length + json.Length + 2;
        }
        else
        {
            using var writer = new Utf8JsonWriter(body, JsonOptions.Writer);
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
            writer.Flush();
            body.Write("\n"u8);
            return writer.BytesCommitted + 1;
        }
    }
}
