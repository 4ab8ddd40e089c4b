using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints.Discovery;

namespace Apiserver.Generic.OpenApi;

/// <summary>
/// The OpenAPI v3 documents: <c>/openapi/v3</c> (an index with a hash per group version) and one
/// document per group version, built from what the chain serves, on first request, and cached by
/// content. Each operation carries <c>x-kubernetes-action</c>, <c>x-kubernetes-group-version-kind</c>
/// and the query parameters the server honours (kubectl reads <c>fieldValidation</c> on PATCH to
/// decide on server-side validation).
/// </summary>
/// <param name="groups">What the chain serves, now.</param>
/// <param name="prepare">Run before a document is built: the chain completes its schemas (descriptions).</param>
/// <param name="version">The server's version, for each document's <c>info</c>.</param>
public sealed class OpenApiV3(Func<IReadOnlyList<ApiGroupDiscovery>> groups, Action prepare, string version)
{
    private readonly ConcurrentDictionary<string, (string Key, byte[] Body, string Hash)> _cache = new();

    /// <summary>The index: each group version's path with the hash of its current document.</summary>
    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (path, _, _) in Documents())
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Document(path)!.Value.Hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of <paramref name="path"/> (<c>api/v1</c>, <c>apis/apps/v1</c>) as JSON bytes with its hash, or null.</summary>
    public (byte[] Body, string Hash)? Document(string path)
    {
        var entry = Documents().FirstOrDefault(d => d.Path == path);
        if (entry.Path is null)
        {
            return null;
        }
        // The discovery of a group version identifies its document: rebuild only when it changed.
        var key = string.Join("|", entry.Version.Resources.Select(r => $"{r.Name}:{string.Join(",", r.Verbs)}:{r.Schema?.GetHashCode()}"));
        if (_cache.TryGetValue(path, out var cached) && cached.Key == key)
        {
            return (cached.Body, cached.Hash);
        }
        // Every kind's schema first (some are built on first use), so that the chain completes them
        // (their descriptions) in one pass rather than once per document.
        foreach (var (_, _, version) in Documents())
        {
            foreach (var resource in version.Resources)
            {
                _ = resource.Schema;
            }
        }
        prepare();
        var body = Encoding.UTF8.GetBytes(Build(entry.Group, entry.Version).ToJsonString(JsonOptions.Compact));
        var hash = Convert.ToHexString(SHA512.HashData(body));
        _cache[path] = (key, body, hash);
        return (body, hash);
    }

    private IEnumerable<(string Path, string Group, ApiVersionDiscovery Version)> Documents() =>
        groups().SelectMany(g => g.Versions.Select(v => (g.Name.Length == 0 ? $"api/{v.Version}" : $"apis/{g.Name}/{v.Version}", g.Name, v)));

    private JsonObject Build(string group, ApiVersionDiscovery gv)
    {
        var paths = new JsonObject();
        var writer = new OpenApiSchemaWriter();
        var schemas = writer.Components;
        var root = group.Length == 0 ? $"/api/{gv.Version}" : $"/apis/{group}/{gv.Version}";
        foreach (var resource in gv.Resources.Where(r => !r.Name.Contains('/')))
        {
            var gvk = new JsonObject { ["group"] = group, ["kind"] = resource.Kind, ["version"] = gv.Version };
            var schema = resource.Schema is { Title: not null } known ? writer.Add(known) : SchemaName(group, gv.Version, resource.Kind);
            if (resource.Schema is null)
            {
                schemas[schema] = AnyFields(gvk);
            }
            schemas[schema + "List"] = ListSchema(schema, resource.Kind, group, gv.Version);
            var scope = resource.Namespaced ? "Namespaced" : "";
            var collection = resource.Namespaced ? $"{root}/namespaces/{{namespace}}/{resource.Name}" : $"{root}/{resource.Name}";
            var ops = new Operations(OperationPrefix(group, gv.Version), scope + resource.Kind, gvk, schema);
            var collectionPath = new JsonObject();
            var itemPath = new JsonObject();
            var verbs = resource.Verbs.ToHashSet();
            if (verbs.Contains("list")) collectionPath["get"] = ops.Make("list", "list", "list or watch objects of kind " + resource.Kind, ListParameters, schema + "List");
            if (verbs.Contains("create")) collectionPath["post"] = ops.Make("create", "post", "create a " + resource.Kind, WriteParameters, schema);
            if (verbs.Contains("get")) itemPath["get"] = ops.Make("read", "get", "read the specified " + resource.Kind, [], schema);
            if (verbs.Contains("update")) itemPath["put"] = ops.Make("replace", "put", "replace the specified " + resource.Kind, WriteParameters, schema);
            if (verbs.Contains("patch")) itemPath["patch"] = ops.Make("patch", "patch", "partially update the specified " + resource.Kind, [.. WriteParameters, "force"], schema);
            if (verbs.Contains("delete")) itemPath["delete"] = ops.Make("delete", "delete", "delete a " + resource.Kind, DeleteParameters, schema);
            JsonArray PathParameters(bool item) =>
                new([.. (resource.Namespaced ? new[] { "namespace" } : []).Concat(item ? ["name"] : []).Select(p => (JsonNode)PathParameter(p, resource.Kind))]);
            if (collectionPath.Count > 0)
            {
                collectionPath["parameters"] = PathParameters(item: false);
                paths[collection] = collectionPath;
            }
            if (itemPath.Count > 0)
            {
                itemPath["parameters"] = PathParameters(item: true);
                paths[$"{collection}/{{name}}"] = itemPath;
            }
        }
        foreach (var sub in gv.Resources.Where(r => r.Name.Contains('/')))
        {
            AddSubresource(paths, writer, group, gv, root, sub);
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = version },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>
    /// The paths of a subresource, as kube's installer publishes them: <c>read</c>, <c>replace</c>,
    /// <c>patch</c> and <c>create</c> operations on <c>…/{name}/status</c> and the like, and for a
    /// connect subresource one <c>connect</c> operation per method (a proxy's also under <c>/{path}</c>);
    /// a connecter that only reads (<c>pods/log</c>) is a <c>read</c>, as kube's streamed getter is.
    /// </summary>
    private static void AddSubresource(JsonObject paths, OpenApiSchemaWriter writer, string group, ApiVersionDiscovery gv, string root, ApiResourceDiscovery sub)
    {
        var slash = sub.Name.IndexOf('/');
        if (gv.Resources.FirstOrDefault(r => r.Name == sub.Name[..slash]) is not { } parent)
        {
            return;
        }
        var name = sub.Name[(slash + 1)..];
        var path = (parent.Namespaced ? $"{root}/namespaces/{{namespace}}/{parent.Name}" : $"{root}/{parent.Name}") + $"/{{name}}/{name}";
        var subject = (parent.Namespaced ? "Namespaced" : "") + parent.Kind + char.ToUpperInvariant(name[0]) + name[1..];
        var kindGroup = sub.KindGroup ?? group;
        var kindVersion = sub.KindVersion ?? gv.Version;
        var gvk = new JsonObject { ["group"] = kindGroup, ["kind"] = sub.Kind, ["version"] = kindVersion };
        var ops = new Operations(OperationPrefix(group, gv.Version), subject, gvk, "");
        var parameters = new JsonArray([.. (parent.Namespaced ? new[] { "namespace" } : []).Append("name").Select(p => (JsonNode)PathParameter(p, sub.Kind))]);
        var item = new JsonObject();
        if (sub.Connect is { } connect)
        {
            var text = new JsonObject { ["type"] = "string" };
            if (connect.Methods is ["GET"] && !connect.TakesPath)
            {
                item["get"] = ops.Make("read", "get", $"read {name} of the specified {parent.Kind}", [], text);
            }
            else
            {
                var withPath = new JsonObject();
                foreach (var method in connect.Methods.Select(m => m.ToLowerInvariant()))
                {
                    var verb = "connect" + char.ToUpperInvariant(method[0]) + method[1..];
                    item[method] = ops.Make(verb, "connect", $"connect {method.ToUpperInvariant()} requests to {name} of {parent.Kind}", [], text, verbAfterPrefix: true);
                    if (connect.TakesPath)
                    {
                        withPath[method] = (ops with { Subject = subject + "WithPath" }).Make(verb, "connect", $"connect {method.ToUpperInvariant()} requests to {name} of {parent.Kind}", [], text, verbAfterPrefix: true);
                    }
                }
                if (withPath.Count > 0)
                {
                    withPath["parameters"] = new JsonArray([.. parameters.Select(p => p!.DeepClone()), PathParameter("path", sub.Kind)]);
                    paths[path + "/{path}"] = withPath;
                }
            }
        }
        else
        {
            // The parent's kind (status) is its schema; another kind (Scale, Eviction) its own, or any fields.
            var schemaName = sub.Schema is { Title: not null } known ? writer.Add(known) : SchemaName(kindGroup, kindVersion, sub.Kind);
            if (sub.Schema is not { Title: not null } && !writer.Components.ContainsKey(schemaName))
            {
                writer.Components[schemaName] = AnyFields(gvk);
            }
            var schema = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };
            var verbs = sub.Verbs.ToHashSet();
            if (verbs.Contains("get")) item["get"] = ops.Make("read", "get", $"read {name} of the specified {parent.Kind}", [], schema);
            if (verbs.Contains("update")) item["put"] = ops.Make("replace", "put", $"replace {name} of the specified {parent.Kind}", WriteParameters, schema);
            if (verbs.Contains("patch")) item["patch"] = ops.Make("patch", "patch", $"partially update {name} of the specified {parent.Kind}", [.. WriteParameters, "force"], schema);
            if (verbs.Contains("create")) item["post"] = ops.Make("create", "post", $"create {name} of a {parent.Kind}", WriteParameters, schema);
        }
        if (item.Count > 0)
        {
            item["parameters"] = parameters;
            paths[path] = item;
        }
    }

    /// <summary>The schema of a kind without one: any fields.</summary>
    private static JsonObject AnyFields(JsonObject gvk) => new()
    {
        ["type"] = "object",
        ["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone()),
        ["x-kubernetes-preserve-unknown-fields"] = true,
    };

    private static JsonObject PathParameter(string name, string kind) => new()
    {
        ["name"] = name, ["in"] = "path", ["required"] = true, ["description"] = $"{name} of the {kind}",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject ListSchema(string itemSchema, string kind, string group, string version) => new()
    {
        ["description"] = $"{kind}List is a list of {kind} objects.",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = $"#/components/schemas/{itemSchema}" } },
            ["metadata"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
        },
        ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = kind + "List", ["version"] = version }),
    };

    private static readonly string[] ListParameters = ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "timeoutSeconds", "watch"];
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];
    private static readonly string[] DeleteParameters = ["dryRun", "gracePeriodSeconds", "propagationPolicy"];

    private sealed record Operations(string Prefix, string Subject, JsonObject Gvk, string Schema)
    {
        public JsonObject Make(string verb, string action, string description, IEnumerable<string> query, string responseSchema) =>
            Make(verb, action, description, query, new JsonObject { ["$ref"] = $"#/components/schemas/{responseSchema}" });

        /// <summary>An operation; a connect one is named with its method after the group version (<c>connectCoreV1GetNamespacedPodExec</c>).</summary>
        public JsonObject Make(string verb, string action, string description, IEnumerable<string> query, JsonObject responseSchema, bool verbAfterPrefix = false) => new()
        {
            ["description"] = description,
            ["operationId"] = verbAfterPrefix ? $"connect{Prefix}{verb["connect".Length..]}{Subject}" : $"{verb}{Prefix}{Subject}",
            ["parameters"] = new JsonArray([.. query.Select(q => (JsonNode)new JsonObject
            {
                ["name"] = q, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = q is "limit" or "timeoutSeconds" or "gracePeriodSeconds" ? "integer" : q is "watch" or "allowWatchBookmarks" or "force" ? "boolean" : "string", ["uniqueItems"] = true },
            })]),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = responseSchema.DeepClone() } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk.DeepClone(),
        };
    }

    private static string OperationPrefix(string group, string version)
    {
        var name = group.Length == 0 ? "core" : group.Replace(".k8s.io", "", StringComparison.Ordinal);
        var words = name.Split('.', '-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]);
        return string.Concat(words) + char.ToUpperInvariant(version[0]) + version[1..];
    }

    /// <summary>The schema name of a kind, as kube-apiserver names built-in (<c>io.k8s.api.core.v1.ConfigMap</c>) and other types.</summary>
    public static string SchemaName(string group, string version, string kind)
    {
        if (group.Length == 0)
        {
            return $"io.k8s.api.core.{version}.{kind}";
        }
        if (!group.Contains('.') || group.EndsWith(".k8s.io", StringComparison.Ordinal))
        {
            return $"io.k8s.api.{group.Split('.')[0]}.{version}.{kind}";
        }
        return $"{string.Join('.', group.Split('.').Reverse())}.{version}.{kind}";
    }
}
