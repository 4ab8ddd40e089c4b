using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Namespaces;

/// <summary>
/// The <c>namespaces</c> resource of core/v1. A new namespace is Active with the <c>kubernetes</c>
/// finalizer; deleting it marks it Terminating until the namespace controller has emptied it and
/// removed the finalizer.
/// </summary>
public static class NamespaceResource
{
    /// <summary>The finalizer the namespace controller removes once a namespace is empty.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The label every namespace carries with its own name.</summary>
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Namespace"), "namespaces", "namespace", Namespaced: false),
        new Strategy())
    {
        Protobuf = CoreV1Messages.Namespace,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Namespace)),
        Typed = true,
        ShortNames = ["ns"],
        ReturnDeletedObject = true,
        AllowDeleteCollection = false,
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Status", "string", "The status of the namespace", obj => (obj["status"] as JsonObject)?["phase"]?.DeepClone() ?? ""),
            TableColumn.AgeColumn,
        ],
    };

    /// <summary>The finalizers in <c>spec.finalizers</c>.</summary>
    public static IReadOnlyList<string> SpecFinalizers(JsonObject ns) =>
        (ns["spec"] as JsonObject)?["finalizers"] is JsonArray list ? [.. list.Select(f => f?.ToString() ?? "")] : [];

    private sealed class Strategy : IRestStrategy
    {
        public IReadOnlyList<string> ValidateName(string name) => NameValidation.IsDns1123Label(name);

        public void PrepareForCreate(JsonObject obj)
        {
            var finalizers = SpecFinalizers(obj);
            obj["spec"] = new JsonObject
            {
                ["finalizers"] = new JsonArray([.. finalizers.Append(KubernetesFinalizer).Distinct().Select(f => (JsonNode)f)]),
            };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            SetNameLabel(obj);
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            // spec.finalizers change only through the finalize subresource (status only through status).
            obj["spec"] = old["spec"]?.DeepClone();
            SetNameLabel(obj);
        }

        public bool BeginGracefulDelete(JsonObject obj)
        {
            if (SpecFinalizers(obj).Count == 0)
            {
                return false;
            }
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            return true;
        }

        public string? GetSelectableField(JsonObject obj, string field) =>
            field == "status.phase" ? (obj["status"] as JsonObject)?["phase"]?.ToString() ?? "" : null;

        private static void SetNameLabel(JsonObject obj)
        {
            var meta = obj.Metadata();
            if (meta["labels"] is not JsonObject labels)
            {
                labels = new JsonObject();
                meta["labels"] = labels;
            }
            labels[NameLabel] = obj.GetName();
        }
    }
}
