using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Secrets;

/// <summary>The <c>secrets</c> resource of core/v1.</summary>
public static class SecretResource
{
    private static readonly string[] DataFields = ["data"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Secret"), "secrets", "secret", Namespaced: true),
        new Strategy())
    {
        Protobuf = CoreV1Messages.Secret,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Secret)),
        Typed = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Type", "string", "The type of the secret", obj => obj["type"]?.DeepClone() ?? "Opaque"),
            new("Data", "string", "The number of entries in the secret", obj => DataValidation.Count(obj, DataFields)),
            TableColumn.AgeColumn,
        ],
    };

    // The keys each well-known type requires in data.
    private static readonly Dictionary<string, string[]> RequiredKeys = new()
    {
        ["kubernetes.io/dockercfg"] = [".dockercfg"],
        ["kubernetes.io/dockerconfigjson"] = [".dockerconfigjson"],
        ["kubernetes.io/tls"] = ["tls.crt", "tls.key"],
        ["kubernetes.io/ssh-auth"] = ["ssh-privatekey"],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Normalize(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Normalize(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var total = DataValidation.ValidateKeys(obj, DataFields, errors);
            if (total > DataValidation.MaxTotalBytes)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "data", null, $"must have at most {DataValidation.MaxTotalBytes} bytes"));
            }
            var type = obj["type"]?.ToString() ?? "Opaque";
            var data = obj["data"] as JsonObject;
            if (RequiredKeys.TryGetValue(type, out var keys))
            {
                foreach (var key in keys.Where(k => data?.ContainsKey(k) != true))
                {
                    errors.Add(FieldError.Required($"data[{key}]"));
                }
            }
            if (type == "kubernetes.io/service-account-token" && obj.GetStringMap("annotations").GetValueOrDefault("kubernetes.io/service-account.name", "").Length == 0)
            {
                errors.Add(FieldError.Required("metadata.annotations[kubernetes.io/service-account.name]"));
            }
            if (type == "kubernetes.io/basic-auth" && data?.ContainsKey("username") != true && data?.ContainsKey("password") != true)
            {
                errors.Add(FieldError.Required("data[username]"));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            var type = obj["type"]?.ToString() ?? "Opaque";
            var oldType = old["type"]?.ToString() ?? "Opaque";
            if (type != oldType)
            {
                errors.Add(FieldError.Immutable("type", JsonValue.Create(type)));
            }
            DataValidation.ValidateImmutable(obj, old, DataFields, errors);
            Validate(obj, errors);
        }

        public string? GetSelectableField(JsonObject obj, string field) =>
            field == "type" ? obj["type"]?.ToString() ?? "Opaque" : null;

        /// <summary>
        /// Defaults the type and folds write-only <c>stringData</c> into <c>data</c> (base64), as
        /// kube-apiserver does before storing; <c>stringData</c> is never stored.
        /// </summary>
        private static void Normalize(JsonObject obj)
        {
            if (obj["type"] is null || obj["type"]!.ToString().Length == 0)
            {
                obj["type"] = "Opaque";
            }
            if (obj["data"] is JsonObject data)
            {
                foreach (var (key, value) in data)
                {
                    DataValidation.DecodeBase64(obj, "data", value?.ToString() ?? "");
                }
            }
            if (obj["stringData"] is JsonObject text)
            {
                if (obj["data"] is not JsonObject target)
                {
                    target = new JsonObject();
                    obj["data"] = target;
                }
                foreach (var (key, value) in text)
                {
                    target[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
                }
            }
            obj.Remove("stringData");
        }
    }
}
