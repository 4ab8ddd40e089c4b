using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.AdmissionRegistration;

/// <summary>
/// The <c>validatingwebhookconfigurations</c> and <c>mutatingwebhookconfigurations</c> resources of
/// admissionregistration.k8s.io/v1: stored with kube's defaults and validation (<see cref="WebhookValidation"/>).
/// Calling the webhooks is admission's business, not the registry's.
/// </summary>
public static class WebhookConfigurationResource
{
    /// <summary>ValidatingWebhookConfigurations.</summary>
    public static ResourceDefinition Validating { get; } = Define("ValidatingWebhookConfiguration", typeof(k8s.Models.V1ValidatingWebhookConfiguration), mutating: false);

    /// <summary>MutatingWebhookConfigurations.</summary>
    public static ResourceDefinition Mutating { get; } = Define("MutatingWebhookConfiguration", typeof(k8s.Models.V1MutatingWebhookConfiguration), mutating: true);

    private static ResourceDefinition Define(string kind, Type model, bool mutating) => new(
        new ResourceNames(new GroupVersionKind("admissionregistration.k8s.io", "v1", kind), kind.ToLowerInvariant() + "s", kind.ToLowerInvariant(), Namespaced: false),
        new Strategy(mutating))
    {
        SchemaFactory = () => ModelSchemas.For(model),
        Typed = true,
        Categories = ["api-extensions"],
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Webhooks", "integer", "Webhooks indicates the number of webhooks registered in this configuration", obj => (obj["webhooks"] as JsonArray)?.Count ?? 0),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy(bool mutating) : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors) => WebhookValidation.Validate(obj, mutating, errors);

        private void Default(JsonObject obj)
        {
            foreach (var webhook in AdmissionRules.Items(obj["webhooks"]))
            {
                webhook["failurePolicy"] ??= "Fail";
                webhook["timeoutSeconds"] ??= 10;
                AdmissionRules.DefaultMatching(webhook, "rules");
                if (mutating)
                {
                    webhook["reinvocationPolicy"] ??= "Never";
                }
                if (webhook["clientConfig"]?["service"] is JsonObject service)
                {
                    service["port"] ??= 443;
                }
            }
        }
    }
}
