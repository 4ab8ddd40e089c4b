using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Apiserver.Generic.Schema;
using k8s;
using k8s.Models;
using NJsonSchema;

namespace Apiserver.Kube.Schema;

/// <summary>
/// The structural schemas of the built-in kinds, generated from the typed models of the
/// <c>KubernetesClient</c> package: JSON names and types from the properties, descriptions from
/// the package's XML documentation, list and map semantics from <see cref="ListSemantics"/>, required
/// fields from <see cref="ModelRequiredFields"/>.
/// Schemas are built once per type and shared (one <c>ObjectMeta</c> for every kind).
/// </summary>
public static partial class ModelSchemas
{
    private static readonly ConcurrentDictionary<Type, JsonSchema> Definitions = new();
    // Schemas waiting for their description, by XML doc member name ("T:k8s.Models.V1ConfigMap").
    private static readonly Dictionary<string, List<JsonSchema>> PendingDocs = [];
    private static readonly object Gate = new();

    /// <summary>The schema of a kind's model, e.g. <c>For(typeof(V1ConfigMap))</c>.</summary>
    public static JsonSchema For(Type model)
    {
        lock (Gate)
        {
            var entity = model.GetCustomAttribute<KubernetesEntityAttribute>()
                ?? throw new ArgumentException($"{model} is not a Kubernetes kind", nameof(model));
            return Definition(model, Prefix(entity.Group, entity.ApiVersion));
        }
    }

    private static JsonSchema Definition(Type type, string prefix)
    {
        if (Definitions.TryGetValue(type, out var existing))
        {
            return existing;
        }
        var schema = new JsonSchema { Type = JsonObjectType.Object, Title = DefinitionName(type, prefix) };
        Describe(schema, $"T:{type.FullName}");
        Definitions[type] = schema; // Before the properties: types may refer to themselves.
        if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            schema.Set(KubernetesExtensions.GroupVersionKind, new[] { new Dictionary<string, string> { ["group"] = entity.Group, ["kind"] = entity.Kind, ["version"] = entity.ApiVersion } });
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name)
            {
                continue;
            }
            var valueSchema = Schema(property.PropertyType, prefix);
            var propertySchema = new JsonSchemaProperty();
            Describe(propertySchema, $"P:{type.FullName}.{property.Name}");
            if (valueSchema.Title is not null)
            {
                propertySchema.Reference = valueSchema; // A named definition: referred to, not copied.
            }
            else
            {
                Copy(valueSchema, propertySchema);
            }
            if (ListSemantics.Rules.TryGetValue((type.Name, name), out var rule))
            {
                ListSemantics.Apply(propertySchema, rule);
            }
            if (ListSemantics.KeyDefaults.TryGetValue((type.Name, name), out var keyDefault))
            {
                propertySchema.Default = keyDefault;
            }
            schema.Properties[name] = propertySchema;
        }
        foreach (var required in ModelRequiredFields.ByType.GetValueOrDefault(type.Name) ?? [])
        {
            schema.RequiredProperties.Add(required);
        }
        if (ListSemantics.AtomicStructs.Contains(type.Name))
        {
            schema.Set(KubernetesExtensions.MapType, "atomic");
        }
        return schema;
    }

    private static JsonSchema Schema(Type type, string prefix)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return new JsonSchema { Type = JsonObjectType.String };
        if (type == typeof(bool)) return new JsonSchema { Type = JsonObjectType.Boolean };
        if (type == typeof(int)) return new JsonSchema { Type = JsonObjectType.Integer, Format = "int32" };
        if (type == typeof(long)) return new JsonSchema { Type = JsonObjectType.Integer, Format = "int64" };
        if (type == typeof(double) || type == typeof(float)) return new JsonSchema { Type = JsonObjectType.Number, Format = "double" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new JsonSchema { Type = JsonObjectType.String, Format = "date-time" };
        if (type == typeof(byte[])) return new JsonSchema { Type = JsonObjectType.String, Format = "byte" };
        if (type == typeof(IntOrString))
        {
            var intOrString = new JsonSchema { Format = "int-or-string" };
            intOrString.Set(KubernetesExtensions.IntOrString, true);
            return intOrString;
        }
        if (type == typeof(ResourceQuantity))
        {
            // A quantity is written as a string ("500m") but a plain number is accepted too.
            var quantity = new JsonSchema { Format = "quantity" };
            quantity.Set(KubernetesExtensions.IntOrString, true);
            return quantity;
        }
        if (Dictionary(type) is { } valueType)
        {
            return new JsonSchema { Type = JsonObjectType.Object, AdditionalPropertiesSchema = Schema(valueType, prefix), AllowAdditionalProperties = true };
        }
        if (List(type) is { } itemType)
        {
            return new JsonSchema { Type = JsonObjectType.Array, Item = Schema(itemType, prefix) };
        }
        if (type == typeof(object))
        {
            var any = new JsonSchema { Type = JsonObjectType.Object };
            any.Set(KubernetesExtensions.PreserveUnknownFields, true);
            return any;
        }
        if (type.Namespace == "k8s.Models" && type.IsClass)
        {
            return Definition(type, prefix);
        }
        throw new NotSupportedException($"no schema for {type}");
    }

    private static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>)) ? type.GetGenericArguments()[1] : null;

    private static Type? List(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(IEnumerable<>)) ? type.GetGenericArguments()[0] : null;

    private static void Copy(JsonSchema from, JsonSchemaProperty to)
    {
        to.Type = from.Type;
        to.Format = from.Format;
        to.Item = from.Item;
        to.AdditionalPropertiesSchema = from.AdditionalPropertiesSchema;
        to.AllowAdditionalProperties = from.AllowAdditionalProperties;
        if (from.ExtensionData is { } data)
        {
            foreach (var (key, value) in data)
            {
                to.Set(key, value);
            }
        }
    }

    // The meta.k8s.io types live under apimachinery in kube-apiserver's OpenAPI.
    private static readonly HashSet<string> MetaTypes = ["V1ObjectMeta", "V1ListMeta", "V1OwnerReference", "V1ManagedFieldsEntry", "V1LabelSelector", "V1LabelSelectorRequirement", "V1Condition", "V1Status", "V1StatusDetails", "V1StatusCause", "V1DeleteOptions", "V1Preconditions"];

    private static string DefinitionName(Type type, string prefix)
    {
        var name = StripVersion(type.Name);
        return MetaTypes.Contains(type.Name) ? $"io.k8s.apimachinery.pkg.apis.meta.v1.{name}" : $"{prefix}.{name}";
    }

    // V1ConfigMap → ConfigMap, V2HorizontalPodAutoscaler → HorizontalPodAutoscaler, V1beta1X → X.
    private static string StripVersion(string name) => VersionPrefix().Replace(name, "");

    [System.Text.RegularExpressions.GeneratedRegex("^([A-Z][a-z]*)?[vV][0-9]+((alpha|beta)[0-9]+)?(?=[A-Z])")]
    private static partial System.Text.RegularExpressions.Regex VersionPrefix();

    private static string Prefix(string group, string version) =>
        $"io.k8s.api.{(group.Length == 0 ? "core" : group.Split('.')[0])}.{version}";

    private static void Describe(JsonSchema schema, string member)
    {
        if (!PendingDocs.TryGetValue(member, out var schemas))
        {
            PendingDocs[member] = schemas = [];
        }
        schemas.Add(schema);
    }

    /// <summary>
    /// Fills in the descriptions of every schema built so far from the package's XML documentation,
    /// in one streaming pass that keeps only the summaries needed (the file is tens of megabytes;
    /// loading it whole would cost that much memory for good). Idempotent; schemas built later are
    /// described by the next call.
    /// </summary>
    public static void LoadDescriptions()
    {
        lock (Gate)
        {
            var xml = Path.ChangeExtension(typeof(V1ConfigMap).Assembly.Location, ".xml");
            if (PendingDocs.Count == 0 || !File.Exists(xml))
            {
                return;
            }
            using var reader = System.Xml.XmlReader.Create(xml, new System.Xml.XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = true });
            while (PendingDocs.Count > 0 && reader.ReadToFollowing("member"))
            {
                if (reader.GetAttribute("name") is not { } name || !PendingDocs.Remove(name, out var schemas))
                {
                    continue;
                }
                using var member = reader.ReadSubtree();
                if (member.ReadToFollowing("summary"))
                {
                    var text = Normalize(member.ReadElementContentAsString());
                    foreach (var schema in schemas)
                    {
                        schema.Description = text;
                    }
                }
            }
            PendingDocs.Clear(); // Members without documentation stay undescribed.
        }
    }

    private static string Normalize(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();
}
