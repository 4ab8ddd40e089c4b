using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.ResourceQuotas;

/// <summary>
/// The <c>resourcequotas</c> resource of core/v1, with a <c>status</c> subresource (written by a
/// quota controller; this server runs none, so <c>status</c> stays as written). Its table shows
/// <c>used/hard</c> per resource of the status, limits apart from requests, as kube prints it.
/// </summary>
public static class ResourceQuotaResource
{
    private static readonly string[] Scopes =
        ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "ResourceQuota"), "resourcequotas", "resourcequota", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ResourceQuota)),
        Typed = true,
        ShortNames = ["quota"],
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            TableColumn.AgeColumn,
            new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume.", obj => Usage(obj, limits: false)),
            new("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.", obj => Usage(obj, limits: true)),
        ],
    };

    private static JsonNode Usage(JsonObject obj, bool limits)
    {
        var hard = obj["status"]?["hard"] as JsonObject ?? [];
        var used = obj["status"]?["used"] as JsonObject ?? [];
        return string.Join(", ", hard.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Where(p => IsLimit(p.Key) == limits)
            .Select(p => $"{p.Key}: {used[p.Key]?.ToString() ?? "0"}/{p.Value}"));
    }

    private static bool IsLimit(string resource) => resource.Split('.') is { Length: > 1 } pieces && pieces[0] == "limits";

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => obj["status"] = new JsonObject();

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            foreach (var (scope, i) in ((obj["spec"]?["scopes"] as JsonArray) ?? []).Select((s, i) => (s?.ToString() ?? "", i)))
            {
                if (!Scopes.Contains(scope))
                {
                    errors.Add(FieldError.NotSupported($"spec.scopes[{i}]", scope, Scopes));
                }
            }
        }
    }
}
