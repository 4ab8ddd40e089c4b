using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints.Discovery;
using Apiserver.Generic.OpenApi;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// The paths the front server answers for the whole chain: discovery (merged from every server),
/// <c>/version</c>, and the health endpoints. Everything else goes down the chain.
/// </summary>
internal sealed class NonResourceEndpoints(IDelegationTarget chain, VersionInfo version, Func<string, bool> isHookDone, Func<bool> isShuttingDown, ILogger logger)
{
    private readonly OpenApiV3 _openApi = new(() => chain.DiscoveryGroups, chain.PrepareOpenApi, version.GitVersion);
    private OpenApiV2? _openApiV2;

    private static readonly string[] HealthRoots = ["/healthz", "/livez", "/readyz"];

    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        if (path.Length == 0)
        {
            path = "/";
        }
        if (HealthRoots.FirstOrDefault(r => path == r || path.StartsWith(r + "/", StringComparison.Ordinal)) is { } root)
        {
            await HealthAsync(context, root, path.Length > root.Length ? path[(root.Length + 1)..] : null);
            return true;
        }
        if (path == "/openapi/v3" || path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            await OpenApiAsync(context, path);
            return true;
        }
        if (path is "/api" or "/apis" && AggregatedDiscovery.AcceptedVersion(context.Request) is { } aggregated)
        {
            var document = AggregatedDiscovery.Document(chain.DiscoveryGroups, core: path == "/api", aggregated);
            await Responses.WriteObjectAsync(context, 200, document, AggregatedDiscovery.MediaType(aggregated));
            return true;
        }
        if (path == "/openapi/v2")
        {
            _openApiV2 ??= new OpenApiV2(_openApi, version.GitVersion); // Shares the v3 documents' cache.
            // kubectl asks for gnostic's protobuf form (client-side validation, its query-parameter checks).
            if (OpenApiV2Protobuf.Accepts(context.Request.Headers.Accept.ToString()))
            {
                var bytes = OpenApiV2Protobuf.Cached(_openApiV2.Document());
                context.Response.StatusCode = 200;
                context.Response.ContentType = OpenApiV2Protobuf.MediaType;
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes);
                return true;
            }
            if (context.Request.Headers.Accept.ToString() is { Length: > 0 } accept && !accept.Contains("json", StringComparison.Ordinal) && !accept.Contains("*/*", StringComparison.Ordinal))
            {
                await Responses.WriteStatusAsync(context, StatusException.NotAcceptable("only application/json is served for /openapi/v2"));
                return true;
            }
            await Responses.WriteObjectAsync(context, 200, _openApiV2.Document());
            return true;
        }
        var body = Document(path, context);
        if (body is null)
        {
            return false;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await Responses.WriteStatusAsync(context, StatusException.MethodNotAllowed());
            return true;
        }
        await Responses.WriteObjectAsync(context, 200, body);
        return true;
    }

    private async Task OpenApiAsync(HttpContext context, string path)
    {
        if (path == "/openapi/v3")
        {
            await Responses.WriteObjectAsync(context, 200, _openApi.Index());
            return;
        }
        if (_openApi.Document(path["/openapi/v3/".Length..]) is not { } document)
        {
            await Responses.WriteStatusAsync(context, StatusException.PathNotFound());
            return;
        }
        var etag = $"\"{document.Hash}\"";
        context.Response.Headers.ETag = etag;
        // A URL carrying the current hash names content that never changes.
        context.Response.Headers.CacheControl = context.Request.Query["hash"] == document.Hash
            ? "public, immutable, max-age=31536000"
            : "no-cache, private";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = 304;
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(document.Body, context.RequestAborted);
    }

    private JsonObject? Document(string path, HttpContext context)
    {
        switch (path)
        {
            case "/version":
                return version.ToJson();
            case "/api":
                return DiscoveryDocuments.CoreVersions(chain.DiscoveryGroups, $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}");
            case "/apis":
                return DiscoveryDocuments.GroupList(chain.DiscoveryGroups);
            case "/":
                return new JsonObject { ["paths"] = new JsonArray([.. ListedPaths(chain.DiscoveryGroups).Select(p => (JsonNode)p)]) };
        }
        // Resource requests (most of what passes by here) have more than three segments.
        if (path.AsSpan().Count('/') > 3)
        {
            return null;
        }
        var groups = chain.DiscoveryGroups;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["api", var v] => groups.Where(g => g.Name.Length == 0).SelectMany(g => g.Versions).FirstOrDefault(x => x.Version == v) is { } found
                ? DiscoveryDocuments.ResourceList("", found) : null,
            ["apis", var g] => groups.FirstOrDefault(x => x.Name == g && g.Length > 0) is { } group ? DiscoveryDocuments.Group(group) : null,
            ["apis", var g, var v] => groups.FirstOrDefault(x => x.Name == g && g.Length > 0)?.Versions.FirstOrDefault(x => x.Version == v) is { } found
                ? DiscoveryDocuments.ResourceList(g, found) : null,
            _ => null,
        };
    }

    private static IEnumerable<string> ListedPaths(IReadOnlyList<ApiGroupDiscovery> groups) =>
        new[] { "/api", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version" }
            .Concat(groups.SelectMany(g => g.Name.Length == 0
                ? g.Versions.Select(v => $"/api/{v.Version}")
                : g.Versions.Select(v => $"/apis/{g.Name}/{v.Version}").Prepend($"/apis/{g.Name}")))
            .Order(StringComparer.Ordinal);

    private async Task HealthAsync(HttpContext context, string root, string? single)
    {
        var kind = root.TrimStart('/');
        var checks = new List<HealthCheck>
        {
            new("ping", _ => ValueTask.FromResult<string?>(null)),
            new("log", _ => ValueTask.FromResult<string?>(null)),
        };
        checks.AddRange(chain.HealthChecks.Where(c => kind == "readyz" || !c.ReadinessOnly));
        checks.AddRange(chain.PostStartHooks.Select(h => new HealthCheck(
            $"poststarthook/{h.Name}", _ => ValueTask.FromResult(isHookDone(h.Name) ? null : "not finished"))));
        if (kind == "readyz")
        {
            checks.Add(new HealthCheck("shutdown", _ => ValueTask.FromResult(isShuttingDown() ? "shutting down" : null)));
        }

        var excluded = context.Request.Query["exclude"].Select(e => e ?? "").ToHashSet();
        if (single is not null)
        {
            checks = checks.Where(c => c.Name == single).ToList();
            if (checks.Count == 0)
            {
                await Responses.WriteStatusAsync(context, StatusException.PathNotFound());
                return;
            }
        }
        var report = new StringBuilder();
        var failed = false;
        foreach (var check in checks)
        {
            if (excluded.Contains(check.Name))
            {
                report.Append($"[+]{check.Name} excluded: ok\n");
                continue;
            }
            var problem = await check.Check(context.RequestAborted);
            if (problem is null)
            {
                report.Append($"[+]{check.Name} ok\n");
            }
            else
            {
                failed = true;
                ServerLog.CheckFailed(logger, check.Name, problem);
                report.Append($"[-]{check.Name} failed: reason withheld\n");
            }
        }
        var verbose = context.Request.Query.ContainsKey("verbose");
        if (failed)
        {
            report.Append($"{kind} check failed\n");
            await Responses.WriteTextAsync(context, 500, report.ToString());
            return;
        }
        await Responses.WriteTextAsync(context, 200, verbose ? report.Append($"{kind} check passed\n").ToString() : "ok");
    }
}
