using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// How this server authenticates clients and front proxies, published for aggregated API servers:
/// the CA bundles as PEM, and the request-header settings of <c>--requestheader-*</c>.
/// </summary>
public sealed record ClusterAuthenticationInfo
{
    /// <summary>The CA bundle that verifies clients' certificates (<c>--client-ca-file</c>).</summary>
    public string? ClientCaPem { get; init; }

    /// <summary>The CA bundle that verifies an authenticating proxy (<c>--requestheader-client-ca-file</c>); without it no request-header setting is published.</summary>
    public string? RequestHeaderCaPem { get; init; }

    /// <summary>The proxy certificate common names allowed (<c>--requestheader-allowed-names</c>).</summary>
    public IReadOnlyList<string> RequestHeaderAllowedNames { get; init; } = [];

    /// <summary>The headers naming the user.</summary>
    public IReadOnlyList<string> RequestHeaderUsernameHeaders { get; init; } = [];

    /// <summary>The headers naming the uid.</summary>
    public IReadOnlyList<string> RequestHeaderUidHeaders { get; init; } = [];

    /// <summary>The headers naming groups.</summary>
    public IReadOnlyList<string> RequestHeaderGroupHeaders { get; init; } = [];

    /// <summary>The prefixes of headers naming extras.</summary>
    public IReadOnlyList<string> RequestHeaderExtraHeaderPrefixes { get; init; } = [];
}

/// <summary>
/// kube-apiserver's cluster authentication trust controller: keeps the ConfigMap
/// <c>kube-system/extension-apiserver-authentication</c>, which aggregated API servers read to
/// authenticate the requests this server proxies to them. What is there already is kept and
/// combined with this server's settings (several replicas, or a rotated CA, publish side by side):
/// header lists are unioned, CA bundles merged without duplicates or expired certificates.
/// </summary>
internal sealed partial class ClusterAuthenticationTrustController(GenericStore configMaps, GenericStore namespaces, ClusterAuthenticationInfo required, ILogger logger)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "start-cluster-authentication-info-controller";

    /// <summary>The ConfigMap's namespace.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The ConfigMap's name.</summary>
    public const string Name = "extension-apiserver-authentication";

    private static readonly RequestContext Context = new(Namespace);

    // The data keys holding JSON string lists, with the settings they publish.
    private static readonly (string Key, Func<ClusterAuthenticationInfo, IReadOnlyList<string>> Value)[] Lists =
    [
        ("requestheader-username-headers", i => i.RequestHeaderUsernameHeaders),
        ("requestheader-uid-headers", i => i.RequestHeaderUidHeaders),
        ("requestheader-group-headers", i => i.RequestHeaderGroupHeaders),
        ("requestheader-extra-headers-prefix", i => i.RequestHeaderExtraHeaderPrefixes),
        ("requestheader-allowed-names", i => i.RequestHeaderAllowedNames),
    ];

    /// <summary>Writes the ConfigMap now (the hook waits for it), then checks it every <paramref name="interval"/> until cancelled.</summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken);
        _ = Periodic.RunAsync(interval, SyncAsync, e => LogSyncFailed(logger, e), cancellationToken);
    }

    /// <summary>Creates or updates the ConfigMap when its data lacks anything this server publishes.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        JsonObject? existing;
        try
        {
            existing = await configMaps.GetAsync(Context, Name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            existing = null;
        }
        var data = Data(existing?["data"] as JsonObject ?? [], required, DateTimeOffset.UtcNow);
        if (existing is not null && JsonNode.DeepEquals(existing["data"] ?? new JsonObject(), data))
        {
            return;
        }
        if (existing is null)
        {
            await SystemNamespaces.EnsureAsync(namespaces, [Namespace], cancellationToken);
            var created = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
                ["data"] = data,
            };
            await configMaps.CreateAsync(Context, created, new CreateOptions(), cancellationToken);
        }
        else
        {
            existing["data"] = data;
            await configMaps.UpdateAsync(Context, Name, existing, new UpdateOptions(), cancellationToken);
        }
        LogWritten(logger, Namespace, Name);
    }

    /// <summary>The ConfigMap data for <paramref name="existing"/> data combined with <paramref name="required"/>, as kube writes it.</summary>
    public static JsonObject Data(JsonObject existing, ClusterAuthenticationInfo required, DateTimeOffset now)
    {
        var data = new JsonObject();
        if (CombinedBundle(existing["client-ca-file"]?.ToString(), required.ClientCaPem, now) is { } clientCa)
        {
            data["client-ca-file"] = clientCa;
        }
        // The request-header settings stand only with the CA that vouches for the proxy.
        if (CombinedBundle(existing["requestheader-client-ca-file"]?.ToString(), required.RequestHeaderCaPem, now) is not { } proxyCa)
        {
            return data;
        }
        foreach (var (key, value) in Lists)
        {
            var union = StringList(existing[key]?.ToString()).Concat(value(required)).Distinct(StringComparer.Ordinal);
            data[key] = JsonSerializer.Serialize(union.ToArray());
        }
        data["requestheader-client-ca-file"] = proxyCa;
        return data;
    }

    private static IEnumerable<string> StringList(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return []; // Unreadable: replaced by what this server publishes.
        }
    }

    /// <summary>The certificates of both bundles, without duplicates or those expired over five minutes ago, as PEM; null when none is left.</summary>
    private static string? CombinedBundle(string? existing, string? required, DateTimeOffset now)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var bundle in (string?[])[existing, required])
        {
            if (string.IsNullOrWhiteSpace(bundle))
            {
                continue;
            }
            var parsed = new X509Certificate2Collection();
            try
            {
                parsed.ImportFromPem(bundle);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                continue; // An unreadable bundle is dropped, as one with no certificate.
            }
            certificates.AddRange(parsed);
        }
        var kept = certificates
            .Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime.AddMinutes(-5))
            .DistinctBy(c => Convert.ToBase64String(c.RawData))
            .Select(c => c.ExportCertificatePem() + "\n")
            .ToList();
        return kept.Count == 0 ? null : string.Concat(kept);
    }

    [LoggerMessage(1, LogLevel.Information, "wrote the authentication information for aggregated API servers to {Namespace}/configmaps/{Name}")]
    private static partial void LogWritten(ILogger logger, string @namespace, string name);

    [LoggerMessage(2, LogLevel.Warning, "keeping the authentication information for aggregated API servers failed")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
