using System.Text.Json.Nodes;

namespace Apiserver.Generic.OpenApi;

/// <summary>
/// The Swagger 2.0 document of <c>/openapi/v2</c>, for the tools that still read it: every group
/// version's OpenAPI v3 document merged into one, parameters in Swagger's form and schema references
/// pointing at <c>#/definitions</c>.
/// </summary>
public sealed class OpenApiV2(OpenApiV3 v3, string version)
{
    /// <summary>The document.</summary>
    public JsonObject Document()
    {
        var paths = new JsonObject();
        var definitions = new JsonObject();
        foreach (var path in v3.Index()["paths"]!.AsObject().Select(p => p.Key))
        {
            if (v3.Document(path) is not { } document || JsonNode.Parse(document.Body) is not JsonObject gv)
            {
                continue;
            }
            foreach (var (name, schema) in gv["components"]?["schemas"]?.AsObject() ?? [])
            {
                definitions[name] = Rewrite(schema);
            }
            foreach (var (route, item) in gv["paths"]!.AsObject())
            {
                paths[route] = PathItem((JsonObject)item!);
            }
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = version },
            ["schemes"] = new JsonArray("https"),
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    private static JsonObject PathItem(JsonObject item)
    {
        var result = new JsonObject();
        foreach (var (key, value) in item)
        {
            result[key] = key == "parameters" ? Parameters((JsonArray)value!) : Operation((JsonObject)value!);
        }
        return result;
    }

    private static JsonObject Operation(JsonObject operation)
    {
        var result = new JsonObject();
        foreach (var (key, value) in operation)
        {
            result[key] = key switch
            {
                "parameters" => Parameters((JsonArray)value!),
                "responses" => Responses((JsonObject)value!),
                _ => value?.DeepClone(),
            };
        }
        result["consumes"] = new JsonArray("*/*");
        result["produces"] = new JsonArray("application/json", "application/yaml");
        return result;
    }

    // Swagger 2.0 puts a parameter's type on the parameter itself, not in a schema.
    private static JsonArray Parameters(JsonArray parameters) => new([.. parameters.OfType<JsonObject>().Select(p =>
    {
        var v2 = new JsonObject();
        foreach (var (key, value) in p)
        {
            if (key == "schema" && value is JsonObject schema)
            {
                // uniqueItems belongs to arrays; scalar parameters carry only their type.
                foreach (var (k, v) in schema.Where(p => p.Key != "uniqueItems"))
                {
                    v2[k] = v?.DeepClone();
                }
            }
            else
            {
                v2[key] = value?.DeepClone();
            }
        }
        return (JsonNode)v2;
    })]);

    private static JsonObject Responses(JsonObject responses)
    {
        var result = new JsonObject();
        foreach (var (code, response) in responses)
        {
            var v2 = new JsonObject { ["description"] = response?["description"]?.DeepClone() };
            if (response?["content"]?["application/json"]?["schema"] is { } schema)
            {
                v2["schema"] = Rewrite(schema);
            }
            result[code] = v2;
        }
        return result;
    }

    private static JsonNode? Rewrite(JsonNode? node) =>
        node is null ? null : JsonNode.Parse(node.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal));
}
