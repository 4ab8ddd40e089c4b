using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;

/// <summary>
/// A CSR's <c>status</c> or <c>approval</c> subresource: reads the CSR, and a write takes from the
/// request only the conditions that path owns (<see cref="CsrConditions"/>).
/// </summary>
internal sealed class CsrSubresourceStore(GenericStore store, string subresource) : ISubresourceStorage, IPatcher, ISchemaProvider, IProtobufSchemaProvider
{
    public string Subresource => subresource;

    public ResourceNames Names => store.Names;

    public NJsonSchema.JsonSchema? Schema => store.Schema;

    public bool Typed => store.Typed;

    public ProtoMessage? ProtobufMessage => store.ProtobufMessage;

    public Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        store.GetAsync(context, name, options, cancellationToken);

    public Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        store.UpdateSubresourceAsync(context, name, obj, options,
            subresource == "approval" ? CsrConditions.ForApproval : CsrConditions.ForStatus, cancellationToken);
}
