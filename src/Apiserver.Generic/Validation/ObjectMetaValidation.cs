using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Validation;

/// <summary>The checks every object's <c>metadata</c> gets on create and update.</summary>
public static class ObjectMetaValidation
{
    /// <summary>Validates a new object's metadata.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="namespaced">Whether the resource is namespaced.</param>
    /// <param name="nameRule">The resource's name format (e.g. <see cref="NameValidation.IsDns1123Subdomain"/>).</param>
    /// <param name="errors">Where to add the problems.</param>
    public static void ValidateCreate(JsonObject obj, bool namespaced, Func<string, IReadOnlyList<string>> nameRule, List<FieldError> errors)
    {
        var name = obj.GetName();
        if (name.Length == 0)
        {
            if (obj.GetMetaString("generateName").Length == 0)
            {
                errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
            }
        }
        else
        {
            foreach (var problem in nameRule(name))
            {
                errors.Add(FieldError.Invalid("metadata.name", name, problem));
            }
        }

        var ns = obj.GetNamespace();
        if (namespaced)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldError.Required("metadata.namespace"));
            }
            else
            {
                foreach (var problem in NameValidation.IsDns1123Label(ns))
                {
                    errors.Add(FieldError.Invalid("metadata.namespace", ns, problem));
                }
            }
        }
        else if (ns.Length > 0)
        {
            errors.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }

        ValidateStringMap(obj, "labels", errors);
        ValidateStringMap(obj, "annotations", errors);
    }

    /// <summary>Validates an update's metadata against the stored object's.</summary>
    public static void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp" })
        {
            var now = obj.GetMetaString(field);
            if (now != old.GetMetaString(field))
            {
                errors.Add(FieldError.Immutable($"metadata.{field}", JsonValue.Create(now)));
            }
        }
        ValidateStringMap(obj, "labels", errors);
        ValidateStringMap(obj, "annotations", errors);
    }

    private static void ValidateStringMap(JsonObject obj, string field, List<FieldError> errors)
    {
        if (obj["metadata"] is not JsonObject meta || meta[field] is not { } node)
        {
            return;
        }
        if (node is not JsonObject map)
        {
            errors.Add(FieldError.Invalid($"metadata.{field}", node.DeepClone(), "must be a map of strings"));
            return;
        }
        foreach (var (key, value) in map)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out _))
            {
                errors.Add(FieldError.Invalid($"metadata.{field}.{key}", value?.DeepClone(), "must be a string"));
            }
        }
    }
}
