using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// Builders for the objects of the bootstrap policy. Every object carries the bootstrapping label
/// and <c>autoupdate: "true"</c>; rule lists are sorted as kube's rule builder sorts them, so the
/// stored objects read like kube's.
/// </summary>
internal static class PolicyBuilder
{
    public const string Core = "";
    public const string Apps = "apps";
    public const string Extensions = "extensions";
    public const string Batch = "batch";
    public const string Policy = "policy";
    public const string Storage = "storage.k8s.io";
    public const string Coordination = "coordination.k8s.io";
    public const string Certificates = "certificates.k8s.io";
    public const string Discovery = "discovery.k8s.io";
    public const string Events = "events.k8s.io";
    public const string Networking = "networking.k8s.io";
    public const string Resource = "resource.k8s.io";
    public const string AuthenticationGroup = "authentication.k8s.io";
    public const string AuthorizationGroup = "authorization.k8s.io";
    public const string Autoscaling = "autoscaling";

    public static readonly string[] Read = ["get", "list", "watch"];
    public static readonly string[] ReadUpdate = ["get", "list", "watch", "update", "patch"];
    public static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    public static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];

    /// <summary>A rule on resources; <paramref name="names"/> limits it to those objects.</summary>
    public static JsonObject Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null)
    {
        var rule = new JsonObject
        {
            ["verbs"] = Sorted(verbs),
            ["apiGroups"] = Sorted(groups),
            ["resources"] = Sorted(resources),
        };
        if (names is { Length: > 0 })
        {
            rule["resourceNames"] = Sorted(names);
        }
        return rule;
    }

    /// <summary>A rule on the core group.</summary>
    public static JsonObject CoreRule(string[] verbs, params string[] resources) => Rule(verbs, [Core], resources);

    /// <summary>A rule on non-resource paths.</summary>
    public static JsonObject NonResource(string[] verbs, string[] urls) => new()
    {
        ["verbs"] = Sorted(verbs),
        ["nonResourceURLs"] = Sorted(urls),
    };

    /// <summary>kube's <c>eventsRule()</c>: recording events through either events API.</summary>
    public static JsonObject EventsRule() => Rule(["create", "update", "patch"], [Core, Events], ["events"]);

    public static JsonObject ClusterRole(string name, JsonObject[]? rules, string? aggregateTo = null, string? aggregateFrom = null)
    {
        var role = Header("ClusterRole", name, null, aggregateTo);
        if (aggregateFrom is not null)
        {
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [aggregateFrom] = "true" } }),
            };
        }
        role["rules"] = new JsonArray([.. rules ?? []]);
        return role;
    }

    public static JsonObject Role(string ns, string name, JsonObject[] rules)
    {
        var role = Header("Role", name, ns, null);
        role["rules"] = new JsonArray([.. rules]);
        return role;
    }

    public static JsonObject ClusterRoleBinding(string name, string role, JsonObject[] subjects) =>
        Binding(Header("ClusterRoleBinding", name, null, null), "ClusterRole", role, subjects);

    public static JsonObject RoleBinding(string ns, string name, string role, JsonObject[] subjects) =>
        Binding(Header("RoleBinding", name, ns, null), "Role", role, subjects);

    public static JsonObject User(string name) => new() { ["apiGroup"] = BootstrapPolicy.RbacGroup, ["kind"] = "User", ["name"] = name };

    public static JsonObject Group(string name) => new() { ["apiGroup"] = BootstrapPolicy.RbacGroup, ["kind"] = "Group", ["name"] = name };

    public static JsonObject ServiceAccount(string ns, string name) => new() { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns };

    private static JsonObject Binding(JsonObject binding, string roleKind, string role, JsonObject[] subjects)
    {
        binding["roleRef"] = new JsonObject { ["apiGroup"] = BootstrapPolicy.RbacGroup, ["kind"] = roleKind, ["name"] = role };
        // kube leaves subjects out of a binding without any (system:node since 1.8).
        if (subjects.Length > 0)
        {
            binding["subjects"] = new JsonArray([.. subjects]);
        }
        return binding;
    }

    private static JsonObject Header(string kind, string name, string? ns, string? aggregateTo)
    {
        var labels = new JsonObject { [BootstrapPolicy.BootstrappingLabel] = BootstrapPolicy.BootstrappingValue };
        if (aggregateTo is not null)
        {
            labels[aggregateTo] = "true";
        }
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        metadata["labels"] = labels;
        metadata["annotations"] = new JsonObject { [BootstrapPolicy.AutoUpdateAnnotation] = "true" };
        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = metadata,
        };
    }

    private static JsonArray Sorted(string[] values) =>
        new([.. values.Distinct().Order(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v))]);
}
