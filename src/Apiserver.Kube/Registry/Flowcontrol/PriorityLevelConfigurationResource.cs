using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Flowcontrol;

/// <summary>
/// The <c>prioritylevelconfigurations</c> resource of flowcontrol.apiserver.k8s.io/v1, with a
/// <c>status</c> subresource: kube's v1 defaults (30 nominal shares, queuing 64/8/50) and main validation.
/// </summary>
public static class PriorityLevelConfigurationResource
{
    private static readonly string[] Types = ["Exempt", "Limited"];
    private static readonly string[] ResponseTypes = ["Queue", "Reject"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"), "prioritylevelconfigurations", "prioritylevelconfiguration", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PriorityLevelConfiguration)),
        Typed = true,
        Protobuf = FlowcontrolV1Messages.PriorityLevelConfiguration,
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Type", "string", "The type of the priority level: Exempt or Limited", obj => obj["spec"]?["type"]?.ToString() ?? ""),
            new("NominalConcurrencyShares", "string", "The nominal concurrency shares of the priority level", obj => Limited(obj, l => l["nominalConcurrencyShares"])),
            new("Queues", "string", "The number of queues of the priority level", obj => Limited(obj, l => l["limitResponse"]?["queuing"]?["queues"])),
            new("HandSize", "string", "The hand size of the priority level", obj => Limited(obj, l => l["limitResponse"]?["queuing"]?["handSize"])),
            new("QueueLengthLimit", "string", "The queue length limit of the priority level", obj => Limited(obj, l => l["limitResponse"]?["queuing"]?["queueLengthLimit"])),
            TableColumn.AgeColumn,
        ],
    };

    private static JsonNode Limited(JsonObject obj, Func<JsonObject, JsonNode?> field) =>
        obj["spec"]?["limited"] is JsonObject limited && WorkloadValidation.Integer(field(limited)) is { } value ? value : "<none>";

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            var type = spec["type"]?.ToString() ?? "";
            if (!Types.Contains(type))
            {
                errors.Add(FieldError.NotSupported("spec.type", type, Types));
            }
            if (type == "Limited" && spec["limited"] is not JsonObject)
            {
                errors.Add(FieldError.Required("spec.limited", "must not be empty when type is Limited"));
            }
            if (type == "Limited" && spec["exempt"] is not null)
            {
                errors.Add(FieldError.Forbidden("spec.exempt", "must be nil if the type is Limited"));
            }
            if (type == "Exempt" && spec["limited"] is not null)
            {
                errors.Add(FieldError.Forbidden("spec.limited", "must be nil if the type is not Limited"));
            }
            if (spec["limited"] is JsonObject limited)
            {
                ValidateLimited(limited, errors);
            }
        }

        private static void ValidateLimited(JsonObject limited, List<FieldError> errors)
        {
            if (WorkloadValidation.Integer(limited["nominalConcurrencyShares"]) is < 0 and var shares)
            {
                errors.Add(FieldError.Invalid("spec.limited.nominalConcurrencyShares", JsonValue.Create(shares), "must be a non-negative integer"));
            }
            if (WorkloadValidation.Integer(limited["lendablePercent"]) is (< 0 or > 100) and var lendable)
            {
                errors.Add(FieldError.Invalid("spec.limited.lendablePercent", JsonValue.Create(lendable), "must be between 0 and 100, inclusive"));
            }
            var response = limited["limitResponse"] as JsonObject ?? [];
            var responseType = response["type"]?.ToString() ?? "";
            if (!ResponseTypes.Contains(responseType))
            {
                errors.Add(FieldError.NotSupported("spec.limited.limitResponse.type", responseType, ResponseTypes));
            }
            if (responseType == "Queue" && response["queuing"] is JsonObject queuing)
            {
                var queues = WorkloadValidation.Integer(queuing["queues"]) ?? 0;
                var handSize = WorkloadValidation.Integer(queuing["handSize"]) ?? 0;
                if (queues <= 0) errors.Add(FieldError.Invalid("spec.limited.limitResponse.queuing.queues", JsonValue.Create(queues), "must be positive"));
                if (handSize <= 0) errors.Add(FieldError.Invalid("spec.limited.limitResponse.queuing.handSize", JsonValue.Create(handSize), "must be positive"));
                else if (handSize > queues) errors.Add(FieldError.Invalid("spec.limited.limitResponse.queuing.handSize", JsonValue.Create(handSize), $"should not be greater than queues ({queues})"));
                if ((WorkloadValidation.Integer(queuing["queueLengthLimit"]) ?? 0) <= 0) errors.Add(FieldError.Invalid("spec.limited.limitResponse.queuing.queueLengthLimit", queuing["queueLengthLimit"]?.DeepClone(), "must be positive"));
            }
            else if (responseType == "Reject" && response["queuing"] is not null)
            {
                errors.Add(FieldError.Forbidden("spec.limited.limitResponse.queuing", "must be nil if limited.limitResponse.type is not Limited"));
            }
        }

        private static void Default(JsonObject obj)
        {
            var spec = obj["spec"] as JsonObject;
            if (spec?["limited"] is JsonObject limited)
            {
                limited["nominalConcurrencyShares"] ??= 30;
                limited["lendablePercent"] ??= 0;
                if (limited["limitResponse"]?["type"]?.ToString() == "Queue" && limited["limitResponse"] is JsonObject response)
                {
                    var queuing = response.ObjectField("queuing");
                    queuing["queues"] ??= 64;
                    queuing["handSize"] ??= 8;
                    queuing["queueLengthLimit"] ??= 50;
                }
            }
            if (spec?["exempt"] is JsonObject exempt)
            {
                exempt["nominalConcurrencyShares"] ??= 0;
                exempt["lendablePercent"] ??= 0;
            }
        }
    }
}
