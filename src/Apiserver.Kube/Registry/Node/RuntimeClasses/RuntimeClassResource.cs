using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;

using Apiserver.Kube.Schema;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Node.RuntimeClasses;

/// <summary>The <c>runtimeclasses</c> resource of node.k8s.io/v1: its <c>handler</c> is a DNS label and immutable.</summary>
public static class RuntimeClassResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("node.k8s.io", "v1", "RuntimeClass"), "runtimeclasses", "runtimeclass", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1RuntimeClass)),
        Typed = true,
        Columns =
        [
            TableColumn.NameColumn,
            // kube describes this column with ObjectMeta's doc of "handler", which does not exist: empty.
            new("Handler", "string", "", obj => obj["handler"]?.DeepClone() ?? ""),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var handler = obj["handler"]?.ToString() ?? "";
            errors.AddRange(NameValidation.IsDns1123Label(handler).Select(m => FieldError.Invalid("handler", handler, m)));
            if ((obj["scheduling"] as JsonObject)?["nodeSelector"] is JsonObject selector)
            {
                foreach (var key in selector.Select(p => p.Key))
                {
                    errors.AddRange(QualifiedName.Validate(key).Select(m => FieldError.Invalid("scheduling.nodeSelector", key, m)));
                }
            }
        }

        // As kube's ValidateRuntimeClassUpdate: only the immutable handler, not the create rules.
        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            if (!JsonNode.DeepEquals(obj["handler"], old["handler"]))
            {
                errors.Add(FieldError.Immutable("handler", obj["handler"]?.DeepClone()));
            }
        }
    }
}
