using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.AdmissionRegistration;

/// <summary>The <c>validatingadmissionpolicybindings</c> resource of admissionregistration.k8s.io/v1, with kube's defaults and main validation.</summary>
public static class ValidatingAdmissionPolicyBindingResource
{
    private static readonly string[] Actions = ["Audit", "Deny", "Warn"];
    private static readonly string[] ParameterNotFoundActions = ["Allow", "Deny"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding"), "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ValidatingAdmissionPolicyBinding)),
        Typed = true,
        Categories = ["api-extensions"],
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("PolicyName", "string", "PolicyName indicates the policy definition which the policy binding binded to", obj => obj["spec"]?["policyName"]?.ToString() ?? ""),
            new("ParamRef", "string", "ParamRef indicates the param resource which sets the configration param", ParamRef),
            TableColumn.AgeColumn,
        ],
    };

    private static JsonNode ParamRef(JsonObject obj)
    {
        if (obj["spec"]?["paramRef"] is not JsonObject paramRef)
        {
            return "<unset>";
        }
        var name = paramRef["name"]?.ToString() is { Length: > 0 } n ? n : "*";
        return paramRef["namespace"]?.ToString() is { Length: > 0 } ns ? $"{ns}/{name}" : name;
    }

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            if ((spec["policyName"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required("spec.policyName"));
            }
            var actions = AdmissionRules.Strings(spec["validationActions"]);
            if (actions.Count == 0)
            {
                errors.Add(FieldError.Required("spec.validationActions", "at least one validation action is required"));
            }
            var seen = new HashSet<string>();
            for (var i = 0; i < actions.Count; i++)
            {
                if (!Actions.Contains(actions[i]))
                {
                    errors.Add(FieldError.NotSupported($"spec.validationActions[{i}]", actions[i], Actions));
                }
                else if (!seen.Add(actions[i]))
                {
                    errors.Add(new FieldError(FieldErrorType.Duplicate, $"spec.validationActions[{i}]", JsonValue.Create(actions[i]), ""));
                }
            }
            if (seen.Contains("Deny") && seen.Contains("Warn"))
            {
                errors.Add(FieldError.Invalid("spec.validationActions", new JsonArray([.. actions.Select(a => (JsonNode)a)]), "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
            }
            if (spec["paramRef"] is JsonObject paramRef)
            {
                var hasName = paramRef["name"]?.ToString() is { Length: > 0 };
                if (hasName == paramRef["selector"] is JsonObject)
                {
                    errors.Add(FieldError.Forbidden("spec.paramRef", "one of name or selector must be specified"));
                }
                if (paramRef["parameterNotFoundAction"]?.ToString() is { } action && !ParameterNotFoundActions.Contains(action))
                {
                    errors.Add(FieldError.NotSupported("spec.paramRef.parameterNotFoundAction", action, ParameterNotFoundActions));
                }
            }
            if (spec["matchResources"] is JsonObject match)
            {
                AdmissionRules.ValidateMatching(match, "spec.matchResources", "resourceRules", rulesRequired: false, errors);
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"]?["matchResources"] is JsonObject match)
            {
                AdmissionRules.DefaultMatching(match, "resourceRules");
            }
        }
    }
}
