using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>The <c>pods/binding</c> subresource: POST a Binding to the pod's path.</summary>
internal sealed class PodBindingStore(PodBinder binder) : INamedCreater, ISchemaProvider, IProtobufSchemaProvider
{
    public string Subresource => "binding";

    public ResourceNames Names { get; } = new(PodBinder.BindingKind, "pods", "pod", Namespaced: true);

    public NJsonSchema.JsonSchema? Schema => PodBinder.Schema;

    public bool Typed => true;

    public ProtoMessage? ProtobufMessage => PodBinder.Protobuf;

    public Task<JsonObject> CreateAsync(RequestContext context, string name, JsonObject obj, CreateOptions options, CancellationToken cancellationToken) =>
        binder.BindAsync(context, name, obj, options.DryRun, cancellationToken);
}

/// <summary>The <c>bindings</c> resource: POST a Binding named as the pod to the namespace's collection.</summary>
internal sealed class BindingStore(PodBinder binder) : ICreater, ISchemaProvider, IProtobufSchemaProvider
{
    public ResourceNames Names { get; } = new(PodBinder.BindingKind, "bindings", "binding", Namespaced: true);

    public NJsonSchema.JsonSchema? Schema => PodBinder.Schema;

    public bool Typed => true;

    public ProtoMessage? ProtobufMessage => PodBinder.Protobuf;

    public Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken) =>
        binder.BindAsync(context, obj.GetName(), obj, options.DryRun, cancellationToken);
}
