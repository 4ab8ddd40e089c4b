using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;

/// <summary>
/// The storage of CSRs: the generic store, with the requestor's identity (<c>username</c>, <c>uid</c>,
/// <c>groups</c>, <c>extra</c>) written into the spec from the authenticated user on create,
/// replacing whatever the client sent, as kube's <c>csrStrategy.PrepareForCreate</c>.
/// </summary>
internal sealed class CsrStore(GenericStore store) : StoreDecorator(store)
{
    public override Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        if (obj["spec"] is JsonObject spec)
        {
            foreach (var field in new[] { "username", "uid", "groups", "extra" })
            {
                spec.Remove(field);
            }
            if (context.User is { } user)
            {
                spec["username"] = user.Name;
                if (user.Uid.Length > 0) spec["uid"] = user.Uid;
                if (user.Groups.Count > 0) spec["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
                if (user.Extra is { Count: > 0 } extra)
                {
                    spec["extra"] = new JsonObject(extra.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray([.. p.Value.Select(v => (JsonNode)v)]))));
                }
            }
        }
        return base.CreateAsync(context, obj, options, cancellationToken);
    }
}
