using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.LimitRanges;

/// <summary>
/// The <c>limitranges</c> resource of core/v1. A container limit's <c>default</c> comes from its
/// <c>max</c>, and its <c>defaultRequest</c> from its <c>default</c> then its <c>min</c>, as kube
/// defaults them.
/// </summary>
public static class LimitRangeResource
{
    private static readonly string[] Types = ["Container", "PersistentVolumeClaim", "Pod"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "LimitRange"), "limitranges", "limitrange", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1LimitRange)),
        Typed = true,
        ShortNames = ["limits"],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        private static void Default(JsonObject obj)
        {
            foreach (var item in CoreFormat.Items(obj["spec"]?["limits"]))
            {
                if (item["type"]?.ToString() != "Container")
                {
                    continue;
                }
                var defaults = item["default"] as JsonObject ?? [];
                var requests = item["defaultRequest"] as JsonObject ?? [];
                Fill(defaults, item["max"]);
                Fill(requests, defaults);
                Fill(requests, item["min"]);
                if (defaults.Count > 0) item["default"] = defaults;
                if (requests.Count > 0) item["defaultRequest"] = requests;
            }
        }

        private static void Fill(JsonObject target, JsonNode? source)
        {
            foreach (var (key, value) in source as JsonObject ?? [])
            {
                target[key] ??= value?.DeepClone();
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            foreach (var (item, i) in CoreFormat.Items(obj["spec"]?["limits"]).Select((l, i) => (l, i)))
            {
                var type = item["type"]?.ToString() ?? "";
                if (type.Length == 0)
                {
                    errors.Add(FieldError.Required($"spec.limits[{i}].type"));
                }
                else if (!Types.Contains(type))
                {
                    errors.Add(FieldError.NotSupported($"spec.limits[{i}].type", type, Types));
                }
            }
        }
    }
}
