using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Storage;

/// <summary>
/// The checks storage.k8s.io kinds share, with kube-apiserver's messages: provisioner and CSI
/// driver names, and the parameter maps of storage and volume attributes classes.
/// </summary>
internal static class StorageValidation
{
    private const int MaxParameters = 512;
    private const int MaxParametersSize = 256 * 1024;
    private const int MaxCsiDriverNameLength = 63;

    /// <summary>A provisioner or driver name: required, and a qualified name once lower-cased (kube reports the lower-cased value).</summary>
    public static void ValidateProvisioner(string? value, string field, List<FieldError> errors)
    {
        var provisioner = value ?? "";
        if (provisioner.Length == 0)
        {
            errors.Add(FieldError.Required(field));
            return;
        }
        var lower = provisioner.ToLowerInvariant();
        errors.AddRange(QualifiedName.Validate(lower).Select(m => FieldError.Invalid(field, lower, m)));
    }

    /// <summary>
    /// A CSI driver name as kube's <c>ValidateCSIDriverName</c> checks it: required, at most 63
    /// characters, an RFC 1123 subdomain once lower-cased.
    /// </summary>
    public static void ValidateCsiDriverName(string? value, string field, List<FieldError> errors)
    {
        var name = value ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(field));
        }
        if (name.Length > MaxCsiDriverNameLength)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, field, JsonValue.Create(name), $"may not be more than {MaxCsiDriverNameLength} bytes"));
        }
        errors.AddRange(NameValidation.IsDns1123Subdomain(name.ToLowerInvariant()).Select(m => FieldError.Invalid(field, name, m)));
    }

    /// <summary>
    /// A parameter map: at most 512 entries and 256 KiB, no empty keys; when
    /// <paramref name="allowEmpty"/> is false it must hold at least one entry.
    /// </summary>
    public static void ValidateParameters(JsonObject? parameters, bool allowEmpty, List<FieldError> errors)
    {
        const string field = "parameters";
        if (parameters is { Count: > MaxParameters })
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, field, null, $"may not be more than {MaxParameters} bytes"));
            return;
        }
        long size = 0;
        foreach (var (key, value) in parameters ?? [])
        {
            if (key.Length == 0)
            {
                errors.Add(FieldError.Invalid(field, key, "field can not be empty."));
            }
            size += key.Length + (value?.ToString().Length ?? 0);
        }
        if (size > MaxParametersSize)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, field, null, $"may not be more than {MaxParametersSize} bytes"));
        }
        if (!allowEmpty && (parameters?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Required(field, "must contain at least one key/value pair"));
        }
    }

    /// <summary>Adds a Forbidden error for <paramref name="field"/> when it differs between the objects.</summary>
    public static void ForbidChange(JsonObject obj, JsonObject old, string field, List<FieldError> errors)
    {
        if (!JsonNode.DeepEquals(obj[field], old[field]))
        {
            errors.Add(FieldError.Forbidden(field, $"updates to {field} are forbidden."));
        }
    }
}
