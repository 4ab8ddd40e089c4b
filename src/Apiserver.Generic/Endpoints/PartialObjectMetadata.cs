using System.Text.Json.Nodes;

namespace Apiserver.Generic.Endpoints;

/// <summary>The metadata-only forms of objects and lists (<c>meta.k8s.io PartialObjectMetadata[List]</c>).</summary>
public static class PartialObjectMetadata
{
    /// <summary>The metadata-only form of an object or a list object.</summary>
    public static JsonObject From(JsonObject objectOrList, string version = "v1")
    {
        var apiVersion = $"meta.k8s.io/{version}";
        if (objectOrList["items"] is JsonArray items)
        {
            return new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = apiVersion,
                ["metadata"] = objectOrList["metadata"]?.DeepClone() ?? new JsonObject(),
                ["items"] = new JsonArray([.. items.OfType<JsonObject>().Select(i => (JsonNode)Single(i, apiVersion))]),
            };
        }
        return Single(objectOrList, apiVersion);
    }

    private static JsonObject Single(JsonObject obj, string apiVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = apiVersion,
        ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
    };
}
