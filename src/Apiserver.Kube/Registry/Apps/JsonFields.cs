using System.Text.Json.Nodes;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>Small helpers for defaulting nested objects.</summary>
internal static class JsonFields
{
    /// <summary>The object at <paramref name="parent"/>[<paramref name="name"/>], created (or replacing a non-object) when absent.</summary>
    public static JsonObject ObjectField(this JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        child = [];
        parent[name] = child;
        return child;
    }
}
