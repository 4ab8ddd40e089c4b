using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Endpoints.Discovery;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Kube.ServiceAccounts;

/// <summary>
/// Service-account issuer discovery (kube's <c>ServiceAccountIssuerDiscovery</c>):
/// <c>/.well-known/openid-configuration</c> and <c>/openid/v1/jwks</c>, so that relying parties can
/// verify service-account tokens as OIDC ID tokens. Served in the chain behind the kube server,
/// when the signing issuer is an https URL, as kube-apiserver serves them; everything else goes to
/// the next server.
/// </summary>
public sealed class OpenIdMetadataDelegate(ServiceAccountTokenConfig config, IDelegationTarget next) : IDelegationTarget
{
    /// <summary>The path of the discovery document.</summary>
    public const string ConfigurationPath = "/.well-known/openid-configuration";

    /// <summary>The path of the key set.</summary>
    public const string JwksPath = "/openid/v1/jwks";

    /// <summary>Whether discovery can be served for <paramref name="config"/>: its signing issuer is an https URL without query or fragment.</summary>
    public static bool Serves(ServiceAccountTokenConfig config) =>
        Uri.TryCreate(config.SigningIssuer, UriKind.Absolute, out var issuer) && issuer.Scheme == Uri.UriSchemeHttps
        && issuer.Query.Length == 0 && issuer.Fragment.Length == 0;

    // The key set never changes while the server runs: rendered once.
    private readonly JsonObject _jwks = new()
    {
        ["keys"] = new JsonArray([.. config.VerificationKeys.Select(k => (JsonNode?)k.ToJson())]),
    };

    /// <inheritdoc/>
    public RequestDelegate UnprotectedHandler => HandleAsync;

    /// <inheritdoc/>
    public IReadOnlyList<PostStartHook> PostStartHooks => next.PostStartHooks;

    /// <inheritdoc/>
    public IReadOnlyList<HealthCheck> HealthChecks => next.HealthChecks;

    /// <inheritdoc/>
    public IReadOnlyList<ApiGroupDiscovery> DiscoveryGroups => next.DiscoveryGroups;

    /// <inheritdoc/>
    public void OnStarted() => next.OnStarted();

    /// <inheritdoc/>
    public void PrepareOpenApi() => next.PrepareOpenApi();

    private Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        if (path is not (ConfigurationPath or JwksPath))
        {
            return next.UnprotectedHandler(context);
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return Responses.WriteStatusAsync(context, StatusException.MethodNotAllowed());
        }
        // Public keys and their names: cacheable by anyone, as kube serves them.
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return path == JwksPath
            ? Responses.WriteObjectAsync(context, 200, _jwks, "application/jwk-set+json")
            : Responses.WriteObjectAsync(context, 200, Configuration(context), "application/json");
    }

    private JsonObject Configuration(HttpContext context) => new()
    {
        ["issuer"] = config.SigningIssuer,
        ["jwks_uri"] = config.JwksUri ?? DefaultJwksUri(context),
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray([.. config.VerificationKeys.Select(k => k.Algorithm).Distinct().Order(StringComparer.Ordinal).Select(a => (JsonNode?)JsonValue.Create(a))]),
    };

    /// <summary>kube names its external address; this server names the address the request reached.</summary>
    private static string DefaultJwksUri(HttpContext context)
    {
        var address = context.Connection.LocalIpAddress ?? IPAddress.Loopback;
        var host = address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
        return new UriBuilder(Uri.UriSchemeHttps, host, context.Connection.LocalPort, JwksPath).Uri.ToString();
    }
}
