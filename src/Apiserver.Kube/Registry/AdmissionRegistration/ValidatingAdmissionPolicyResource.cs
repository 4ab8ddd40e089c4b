using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.AdmissionRegistration;

/// <summary>
/// The <c>validatingadmissionpolicies</c> resource of admissionregistration.k8s.io/v1, with a
/// <c>status</c> subresource: kube's defaults (failure policy Fail, Equivalent matching, empty
/// selectors) and the main validation rules. CEL expressions are stored, not compiled here.
/// </summary>
public static class ValidatingAdmissionPolicyResource
{
    private static readonly string[] ValidationActionReasons = ["Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy"), "validatingadmissionpolicies", "validatingadmissionpolicy", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ValidatingAdmissionPolicy)),
        Typed = true,
        Categories = ["api-extensions"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Validations", "integer", "Validations indicates the number of validation rules defined in this configuration", obj => (obj["spec"]?["validations"] as JsonArray)?.Count ?? 0),
            new("ParamKind", "string", "ParamKind specifies the kind of resources used to parameterize this policy",
                obj => obj["spec"]?["paramKind"] is JsonObject kind ? $"{kind["apiVersion"]}/{kind["kind"]}" : "<unset>"),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            if (spec["matchConstraints"] is not JsonObject constraints)
            {
                errors.Add(FieldError.Required("spec.matchConstraints"));
            }
            else
            {
                AdmissionRules.ValidateMatching(constraints, "spec.matchConstraints", "resourceRules", rulesRequired: true, errors);
            }
            AdmissionRules.ValidateFailurePolicy(spec["failurePolicy"], "spec.failurePolicy", errors);
            var validations = AdmissionRules.Items(spec["validations"]).ToList();
            var audits = AdmissionRules.Items(spec["auditAnnotations"]).ToList();
            if (validations.Count == 0 && audits.Count == 0)
            {
                errors.Add(FieldError.Required("spec.validations", "validations or auditAnnotations must contain at least one item"));
            }
            for (var i = 0; i < validations.Count; i++)
            {
                if ((validations[i]["expression"]?.ToString() ?? "").Trim().Length == 0)
                {
                    errors.Add(FieldError.Required($"spec.validations[{i}].expression"));
                }
                if (validations[i]["reason"]?.ToString() is { } reason && !ValidationActionReasons.Contains(reason))
                {
                    errors.Add(FieldError.NotSupported($"spec.validations[{i}].reason", reason, ValidationActionReasons));
                }
            }
            for (var i = 0; i < audits.Count; i++)
            {
                if ((audits[i]["key"]?.ToString() ?? "").Length == 0) errors.Add(FieldError.Required($"spec.auditAnnotations[{i}].key"));
                if ((audits[i]["valueExpression"]?.ToString() ?? "").Length == 0) errors.Add(FieldError.Required($"spec.auditAnnotations[{i}].valueExpression"));
            }
            if (spec["paramKind"] is JsonObject paramKind)
            {
                if ((paramKind["apiVersion"]?.ToString() ?? "").Length == 0) errors.Add(FieldError.Required("spec.paramKind.apiVersion"));
                if ((paramKind["kind"]?.ToString() ?? "").Length == 0) errors.Add(FieldError.Required("spec.paramKind.kind"));
            }
            AdmissionRules.ValidateMatchConditions(spec["matchConditions"], "spec.matchConditions", errors);
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            spec["failurePolicy"] ??= "Fail";
            if (spec["matchConstraints"] is JsonObject constraints)
            {
                AdmissionRules.DefaultMatching(constraints, "resourceRules");
            }
        }
    }
}
