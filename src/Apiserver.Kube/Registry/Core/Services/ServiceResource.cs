using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// The <c>services</c> resource of core/v1, with a <c>status</c> subresource. The strategy applies
/// kube's defaults and validation; cluster IPs and node ports are allocated by <see cref="ServiceStore"/>
/// around it.
/// </summary>
public static class ServiceResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Service"), "services", "service", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Service)),
        Typed = true,
        Protobuf = ServiceMessages.Service,
        ShortNames = ["svc"],
        Categories = ["all"],
        StatusSubresource = true,
        AllowDeleteCollection = false,
        Columns = ServiceColumns.All,
    };

    private sealed class Strategy : IRestStrategy
    {
        public IReadOnlyList<string> ValidateName(string name) => ServiceValidation.IsDns1035Label(name);

        public void PrepareForCreate(JsonObject obj)
        {
            ServiceDefaults.Apply(obj);
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            ServiceDefaults.Apply(obj);
            ServiceDefaults.CarryOver(obj, old);
        }

        public void Validate(JsonObject obj, List<FieldError> errors) => ServiceValidation.Validate(obj, errors);

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors) => ServiceValidation.ValidateUpdate(obj, old, errors);

        public string? GetSelectableField(JsonObject obj, string field) => field switch
        {
            "spec.clusterIP" => ServiceFields.Spec(obj)["clusterIP"]?.ToString() ?? "",
            "spec.type" => ServiceFields.Type(obj),
            _ => null,
        };
    }
}
