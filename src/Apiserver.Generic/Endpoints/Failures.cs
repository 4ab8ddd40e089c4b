using Apiserver.Generic.Api;
using Apiserver.Generic.Storage;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>Turns the failures a handler may raise into <c>Status</c> responses.</summary>
public static class Failures
{
    /// <summary>Runs <paramref name="handler"/>, answering a <c>Status</c> for a <see cref="StatusException"/> or <see cref="StorageException"/>.</summary>
    public static async Task RunAsync(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception e) when (ToStatus(e) is { } failure && !context.Response.HasStarted)
        {
            await Responses.WriteStatusAsync(context, failure);
        }
    }

    /// <summary>The <c>Status</c> a failure answers with, or null when it is unexpected (a 500).</summary>
    public static StatusException? ToStatus(Exception e) => e switch
    {
        StatusException s => s,
        StorageException { Code: StorageErrorCode.Unavailable } s => StatusException.ServiceUnavailable($"storage is unavailable: {s.Message}"),
        StorageException { Code: StorageErrorCode.Compacted } s => StatusException.Expired($"too old resource version: {s.Message}"),
        BadHttpRequestException { StatusCode: 413 } => StatusException.RequestEntityTooLarge(RequestBody.MaxBytes),
        BadHttpRequestException b => StatusException.BadRequest(b.Message),
        _ => null,
    };
}
