using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.PodTemplates;

/// <summary>The <c>podtemplates</c> resource of core/v1: a pod template with kube's defaults and validation.</summary>
public static class PodTemplateResource
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "PodTemplate"), "podtemplates", "podtemplate", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PodTemplate)),
        Typed = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Containers", "string", "Names of each container in the template.",
                obj => string.Join(",", CoreFormat.Items(obj["template"]?["spec"]?["containers"]).Select(c => c["name"]?.ToString() ?? ""))),
            new("Images", "string", "Images referenced by each container in the template.",
                obj => string.Join(",", CoreFormat.Items(obj["template"]?["spec"]?["containers"]).Select(c => c["image"]?.ToString() ?? ""))),
            new("Pod Labels", "string", "The labels for the pod template.", obj => CoreFormat.Labels(obj["template"]?["metadata"]?["labels"])),
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => PodTemplateDefaults.Apply(obj["template"]);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => PodTemplateDefaults.Apply(obj["template"]);

        public void Validate(JsonObject obj, List<FieldError> errors) =>
            PodTemplateValidation.Validate(obj["template"], "template", RestartPolicies, errors);
    }
}
