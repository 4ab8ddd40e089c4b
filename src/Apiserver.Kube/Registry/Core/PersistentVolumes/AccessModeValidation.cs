using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Registry.Core.PersistentVolumes;

/// <summary>kube's check of the access modes of a volume or claim: at least one, each supported.</summary>
internal static class AccessModeValidation
{
    private static readonly string[] Modes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    public static void Validate(JsonNode? modes, string path, List<FieldError> errors)
    {
        if (modes is not JsonArray { Count: > 0 } list)
        {
            errors.Add(FieldError.Required(path));
            return;
        }
        foreach (var mode in list.Select(m => m?.ToString() ?? ""))
        {
            if (!Modes.Contains(mode))
            {
                errors.Add(FieldError.NotSupported(path, mode, Modes));
            }
        }
    }
}
