using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Scheduling.PriorityClasses;

/// <summary>
/// The <c>priorityclasses</c> resource of scheduling.k8s.io/v1. Names starting with
/// <c>system-</c> are reserved for the two system classes; a user class may not exceed one
/// billion; <c>value</c> and <c>preemptionPolicy</c> are immutable.
/// </summary>
public static class PriorityClassResource
{
    /// <summary>The highest value a class outside the system ones may have.</summary>
    public const long HighestUserDefinablePriority = 1_000_000_000;

    /// <summary>The value of <c>system-cluster-critical</c>; <c>system-node-critical</c> is 1000 more.</summary>
    public const long SystemCriticalPriority = 2 * HighestUserDefinablePriority;

    private const string SystemPrefix = "system-";
    private static readonly string[] PreemptionPolicies = ["PreemptLowerPriority", "Never"];
    private static readonly (string Name, long Value)[] SystemClasses =
    [
        ("system-node-critical", SystemCriticalPriority + 1000),
        ("system-cluster-critical", SystemCriticalPriority),
    ];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("scheduling.k8s.io", "v1", "PriorityClass"), "priorityclasses", "priorityclass", Namespaced: false),
        new Strategy())
    {
        Protobuf = SchedulingV1Messages.PriorityClass,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PriorityClass)),
        Typed = true,
        ShortNames = ["pc"],
        Columns =
        [
            TableColumn.NameColumn,
            new("Value", "integer", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
                obj => obj["value"]?.DeepClone() ?? 0),
            new("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
                obj => obj["globalDefault"]?.DeepClone() ?? false),
            TableColumn.AgeColumn,
            new("PreemptionPolicy", "string", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
                obj => obj["preemptionPolicy"]?.DeepClone() ?? ""),
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var name = obj.GetName();
            var value = Value(obj);
            if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
            {
                if (KnownSystemClassError(name, value, obj["globalDefault"] is JsonValue g && g.TryGetValue<bool>(out var d) && d) is { } error)
                {
                    errors.Add(FieldError.Forbidden("metadata.name", $"priority class names with '{SystemPrefix}' prefix are reserved for system use only. error: {error}"));
                }
            }
            else if (value > HighestUserDefinablePriority)
            {
                errors.Add(FieldError.Forbidden("value", $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}"));
            }
            if (obj["preemptionPolicy"]?.ToString() is { } policy)
            {
                if (policy.Length == 0)
                {
                    errors.Add(FieldError.Required("preemptionPolicy"));
                }
                else if (!PreemptionPolicies.Contains(policy))
                {
                    errors.Add(FieldError.NotSupported("preemptionPolicy", policy, PreemptionPolicies));
                }
            }
        }

        // As kube's ValidatePriorityClassUpdate: only the immutable fields, not the create rules.
        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            if (Value(obj) != Value(old))
            {
                errors.Add(FieldError.Forbidden("value", "may not be changed in an update."));
            }
            if (!JsonNode.DeepEquals(obj["preemptionPolicy"], old["preemptionPolicy"]))
            {
                errors.Add(FieldError.Immutable("preemptionPolicy", obj["preemptionPolicy"]?.DeepClone()));
            }
        }

        private static void Default(JsonObject obj) => obj["preemptionPolicy"] ??= PreemptionPolicies[0];

        private static long Value(JsonObject obj) => obj["value"] is JsonValue v && v.TryGetValue<long>(out var i) ? i : 0;

        private static string? KnownSystemClassError(string name, long value, bool globalDefault)
        {
            foreach (var (systemName, systemValue) in SystemClasses)
            {
                if (systemName == name)
                {
                    return value != systemValue ? $"value of {name} PriorityClass must be {systemValue}"
                        : globalDefault ? $"globalDefault of {name} PriorityClass must be false"
                        : null;
                }
            }
            return $"{name} is not a known system priority class";
        }
    }
}
