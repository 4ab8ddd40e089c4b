using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Coordination.Leases;

/// <summary>The <c>leases</c> resource of coordination.k8s.io/v1.</summary>
public static class LeaseResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("coordination.k8s.io", "v1", "Lease"), "leases", "lease", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Lease)),
        Typed = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Holder", "string", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
                obj => (obj["spec"] as JsonObject)?["holderIdentity"]?.DeepClone() ?? ""),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        // kube 1.34 drops strategy and preferredHolder while the CoordinatedLeaderElection feature
        // gate is off, as it is by default.
        public void PrepareForCreate(JsonObject obj) => DropDisabledFields(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => DropDisabledFields(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            if (Int(spec["leaseDurationSeconds"]) is <= 0 and var duration)
            {
                errors.Add(FieldError.Invalid("spec.leaseDurationSeconds", JsonValue.Create(duration), "must be greater than 0"));
            }
            if (Int(spec["leaseTransitions"]) is < 0 and var transitions)
            {
                errors.Add(FieldError.Invalid("spec.leaseTransitions", JsonValue.Create(transitions), "must be greater than or equal to 0"));
            }
        }

        private static void DropDisabledFields(JsonObject obj)
        {
            if (obj["spec"] is JsonObject spec)
            {
                spec.Remove("strategy");
                spec.Remove("preferredHolder");
            }
        }

        private static long? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var i) ? i : null;
    }
}
