using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Reviews;
using Apiserver.Kube.ServiceAccounts;

namespace Apiserver.Kube.Registry.Core.ServiceAccounts;

/// <summary>
/// <c>serviceaccounts/&lt;name&gt;/token</c>: create only, answering an <c>authentication.k8s.io/v1</c>
/// TokenRequest with a signed token for the account, for the requested audiences (the API's by
/// default) and lifetime (an hour by default, at least ten minutes, at most the configured maximum),
/// bound to a pod, secret or node of the account's namespace when asked. Nothing is stored.
/// </summary>
public sealed class TokenRequestStore(ServiceAccountTokenConfig config, ServiceAccountObjects objects, TimeProvider? time = null) : ISubresourceStorage, INamedCreater, IProtobufSchemaProvider
{
    private static readonly GroupVersionKind Kind = new("authentication.k8s.io", "v1", "TokenRequest");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public string Subresource => "token";

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(Kind, "serviceaccounts", "serviceaccount", Namespaced: true) { ResourceGroup = "" };

    /// <inheritdoc/>
    public ProtoMessage? ProtobufMessage => TokenMessages.TokenRequest;

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, string name, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var signingKey = config.SigningKey ?? throw StatusException.Internal("no service-account signing key is configured");
        var ns = context.Namespace;
        var request = (JsonObject)obj.DeepClone();
        var metadata = request.Metadata();
        if (request.GetName() is { Length: > 0 } bodyName && bodyName != name)
        {
            throw StatusException.Invalid(Kind, name, [FieldError.Invalid("metadata.name", bodyName, "must match the service account name if specified")]);
        }
        if (request.GetNamespace() is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw StatusException.Invalid(Kind, name, [FieldError.Invalid("metadata.namespace", bodyNamespace, "must match the service account namespace if specified")]);
        }
        var account = await objects.ServiceAccountAsync(ns, name, cancellationToken);
        var spec = request["spec"] as JsonObject ?? [];
        request["spec"] = spec;
        IReadOnlyList<string> audiences = [.. (spec["audiences"] as JsonArray ?? []).Select(a => a?.ToString() ?? "")];
        if (audiences.Count == 0)
        {
            audiences = config.ApiAudiences;
        }
        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode?)JsonValue.Create(a))]);
        spec["expirationSeconds"] ??= 3600L; // The v1 default.
        var now = _time.GetUtcNow();
        metadata["name"] = name;
        metadata["namespace"] = ns;
        metadata["creationTimestamp"] = ObjectMeta.FormatTime(now);
        Validate(spec, name);

        var (pod, secret, node) = await BoundObjectsAsync(spec["boundObjectRef"] as JsonObject, ns, name, cancellationToken);
        var expirationSeconds = spec["expirationSeconds"]!.GetValue<long>();
        if (config.MaxExpiration is { } max && expirationSeconds > (long)max.TotalSeconds)
        {
            context.Warnings?.Add($"requested expiration of {expirationSeconds} seconds shortened to {(long)max.TotalSeconds} seconds");
            expirationSeconds = (long)max.TotalSeconds;
            spec["expirationSeconds"] = expirationSeconds;
        }
        // kube's safe roll-out of bound tokens: a pod's injected 3607s token for the API itself (no other
        // audience) lives a year but warns after its hour.
        var (lifetime, warnAfter) = config.ExtendExpiration && pod is not null && expirationSeconds == ServiceAccountClaims.WarnOnlyExpirationSeconds
            && audiences.All(config.ApiAudiences.Contains)
            ? (ServiceAccountClaims.ExtendedExpirationSeconds, expirationSeconds)
            : (expirationSeconds, 0L);
        var claims = ServiceAccountClaims.For(config.SigningIssuer, audiences, account, pod, secret, node, now, lifetime, warnAfter);
        request["apiVersion"] = "authentication.k8s.io/v1";
        request["kind"] = "TokenRequest";
        request["status"] = new JsonObject
        {
            ["token"] = ServiceAccountClaims.Sign(claims, signingKey),
            ["expirationTimestamp"] = ObjectMeta.FormatTime(now.AddSeconds(expirationSeconds)),
        };
        return request;
    }

    private static void Validate(JsonObject spec, string name)
    {
        var errors = new List<FieldError>();
        if (spec["expirationSeconds"] is not JsonValue value || !value.TryGetValue<long>(out var seconds))
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", spec["expirationSeconds"]?.DeepClone(), "must be an integer"));
        }
        else if (seconds < 600)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", JsonValue.Create(seconds), "may not specify a duration less than 10 minutes"));
        }
        else if (seconds > 1L << 32)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", JsonValue.Create(seconds), "may not specify a duration larger than 2^32 seconds"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Kind, "", errors);
        }
    }

    /// <summary>The pod, secret or node the token is bound to, checked as kube checks them.</summary>
    private async Task<(JsonObject? Pod, JsonObject? Secret, JsonObject? Node)> BoundObjectsAsync(JsonObject? reference, string ns, string account, CancellationToken cancellationToken)
    {
        if (reference is null)
        {
            return (null, null, null);
        }
        string S(string field) => reference[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        var (apiVersion, kind, name, uid) = (S("apiVersion"), S("kind"), S("name"), S("uid"));
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        JsonObject? pod = null, secret = null, node = null;
        JsonObject bound;
        switch (group.Length == 0 ? kind : "")
        {
            case "Pod":
                bound = pod = await objects.PodAsync(ns, name, cancellationToken);
                var podAccount = (pod["spec"] as JsonObject)?["serviceAccountName"]?.ToString() ?? "";
                if (podAccount != account)
                {
                    throw StatusException.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name.");
                }
                // The pod's node is named in the token when it exists; a missing one is no error.
                if ((pod["spec"] as JsonObject)?["nodeName"]?.ToString() is { Length: > 0 } nodeName)
                {
                    node = await ServiceAccountObjects.FindAsync(() => objects.NodeAsync(nodeName, cancellationToken));
                }
                break;
            case "Secret":
                bound = secret = await objects.SecretAsync(ns, name, cancellationToken);
                break;
            case "Node":
                bound = node = await objects.NodeAsync(name, cancellationToken);
                break;
            default:
                var version = apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion;
                throw StatusException.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}");
        }
        if (uid.Length > 0 && bound.GetUid() != uid)
        {
            throw StatusException.Conflict(new GroupResource(group, kind), name,
                $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }
        return (pod, secret, node);
    }
}
