using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>Writes objects and <c>Status</c> failures as responses.</summary>
public static class Responses
{
    /// <summary>Writes <paramref name="obj"/> as JSON with the given status code.</summary>
    public static async Task WriteObjectAsync(HttpContext context, int statusCode, JsonNode obj)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonOptions.Writer))
        {
            obj.WriteTo(writer);
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Writes a failure as its <c>Status</c> body, with <c>Retry-After</c> when it suggests one.</summary>
    public static Task WriteStatusAsync(HttpContext context, StatusException failure)
    {
        if (failure.Details?.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return WriteObjectAsync(context, failure.Code, failure.ToStatus());
    }

    /// <summary>Writes plain text (health endpoints).</summary>
    public static Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
