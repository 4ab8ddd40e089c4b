using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Networking.IngressClasses;

/// <summary>
/// The <c>ingressclasses</c> resource of networking.k8s.io/v1 (cluster-scoped). As
/// <c>ValidateIngressClass</c>: a domain-prefixed controller of at most 250 characters that never
/// changes, and parameters with a kind, a name and a supported scope (a namespace exactly when
/// the scope is Namespace).
/// </summary>
public static class IngressClassResource
{
    /// <summary>The annotation that marks the cluster's default class.</summary>
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    private const int MaxControllerLength = 250;
    private static readonly string[] Scopes = ["Cluster", "Namespace"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("networking.k8s.io", "v1", "IngressClass"), "ingressclasses", "ingressclass", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1IngressClass)),
        Typed = true,
        Protobuf = NetworkingV1Messages.IngressClass,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Controller", "string", "Controller that is responsible for handling this class", obj => obj["spec"]?["controller"]?.DeepClone() ?? ""),
            new("Parameters", "string", "A reference to a resource with additional parameters", Parameters),
            TableColumn.AgeColumn,
        ],
    };

    private static JsonNode Parameters(JsonObject obj)
    {
        if (obj["spec"]?["parameters"] is not JsonObject p)
        {
            return "<none>";
        }
        var kind = p["kind"]?.ToString() ?? "";
        if (p["apiGroup"]?.ToString() is { } group)
        {
            kind += "." + group;
        }
        return $"{kind}/{p["name"]}";
    }

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            var controller = spec["controller"]?.ToString() ?? "";
            if (controller.Length > MaxControllerLength)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "spec.controller", JsonValue.Create(controller), $"may not be more than {MaxControllerLength} bytes"));
            }
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required("spec.controller"));
            }
            else if (!controller.Contains('/'))
            {
                errors.Add(FieldError.Invalid("spec.controller", controller, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
            }
            if (spec["parameters"] is JsonObject parameters)
            {
                ValidateParameters(parameters, errors);
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            var controller = obj["spec"]?["controller"];
            if (!JsonNode.DeepEquals(controller, old["spec"]?["controller"]))
            {
                errors.Add(FieldError.Immutable("spec.controller", controller?.DeepClone()));
            }
        }

        private static void ValidateParameters(JsonObject parameters, List<FieldError> errors)
        {
            const string path = "spec.parameters";
            if ((parameters["kind"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.kind"));
            }
            if ((parameters["name"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }
            var scope = parameters["scope"]?.ToString();
            var ns = parameters["namespace"]?.ToString();
            if (scope is null)
            {
                return;
            }
            if (!Scopes.Contains(scope))
            {
                errors.Add(FieldError.NotSupported($"{path}.scope", scope, Scopes));
            }
            else if (scope == "Namespace" && string.IsNullOrEmpty(ns))
            {
                errors.Add(FieldError.Required($"{path}.namespace", "`parameters.scope` is set to 'Namespace'"));
            }
            else if (scope == "Cluster" && ns is not null)
            {
                errors.Add(FieldError.Forbidden($"{path}.namespace", "`parameters.scope` is set to 'Cluster'"));
            }
        }
    }
}
