using System.Text.Json.Nodes;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's bootstrap flow-control configuration (<c>k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap</c>):
/// the mandatory priority levels and flow schemas (exempt, catch-all), whose spec the server always
/// enforces, and the suggested ones, which it creates and keeps current while they carry
/// <c>apf.kubernetes.io/autoupdate-spec: "true"</c>.
/// </summary>
internal static class FlowcontrolBootstrap
{
    private static readonly JsonObject AllResources = new()
    {
        ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*"),
        ["clusterScope"] = true, ["namespaces"] = new JsonArray("*"),
    };
    private static readonly JsonObject AllNonResources = new() { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") };

    public static IReadOnlyList<JsonObject> MandatoryPriorityLevels { get; } =
    [
        Level("exempt", new JsonObject { ["type"] = "Exempt", ["exempt"] = new JsonObject { ["nominalConcurrencyShares"] = 0, ["lendablePercent"] = 0 } }),
        Level("catch-all", Limited(5, 0, null)),
    ];

    public static IReadOnlyList<JsonObject> MandatoryFlowSchemas { get; } =
    [
        Schema("exempt", "exempt", 1, null, Rule([Group("system:masters")], [AllResources], [AllNonResources])),
        Schema("catch-all", "catch-all", 10000, "ByUser", Rule([Group("system:unauthenticated"), Group("system:authenticated")], [AllResources], [AllNonResources])),
    ];

    public static IReadOnlyList<JsonObject> SuggestedPriorityLevels { get; } =
    [
        Level("node-high", Limited(40, 25, (64, 6, 50))),
        Level("system", Limited(30, 33, (64, 6, 50))),
        Level("leader-election", Limited(10, 0, (16, 4, 50))),
        Level("workload-high", Limited(40, 50, (128, 6, 50))),
        Level("workload-low", Limited(100, 90, (128, 6, 50))),
        Level("global-default", Limited(20, 50, (128, 6, 50))),
    ];

    public static IReadOnlyList<JsonObject> SuggestedFlowSchemas { get; } =
    [
        Schema("probes", "exempt", 2, null, Rule([Group("system:unauthenticated"), Group("system:authenticated")], [],
            [new JsonObject { ["verbs"] = new JsonArray("get"), ["nonResourceURLs"] = new JsonArray("/healthz", "/readyz", "/livez") }])),
        Schema("system-leader-election", "leader-election", 100, "ByUser", Rule(
            [User("system:kube-controller-manager"), User("system:kube-scheduler"), ServiceAccount("kube-system", "*")],
            [Resources(["get", "create", "update"], ["coordination.k8s.io"], ["leases"], namespaced: true)], [])),
        Schema("endpoint-controller", "workload-high", 150, "ByUser", Rule(
            [User("system:kube-controller-manager"), ServiceAccount("kube-system", "endpoint-controller")],
            [Resources(["get", "create", "update"], [""], ["endpoints"], namespaced: true)], [])),
        Schema("workload-leader-election", "leader-election", 200, "ByUser", Rule(
            [ServiceAccount("kube-system", "*")], [Resources(["get", "create", "update"], ["coordination.k8s.io"], ["leases"], namespaced: true)], [])),
        Schema("system-node-high", "node-high", 400, "ByUser", Rule(
            [Group("system:nodes")], [Resources(["*"], [""], ["nodes", "nodes/status"], namespaced: false), Resources(["*"], ["coordination.k8s.io"], ["leases"], namespaced: true)], [])),
        Schema("system-nodes", "system", 500, "ByUser", Rule([Group("system:nodes")], [AllResources], [AllNonResources])),
        Schema("kube-controller-manager", "workload-high", 800, "ByNamespace", Rule([User("system:kube-controller-manager")], [AllResources], [AllNonResources])),
        Schema("kube-scheduler", "workload-high", 800, "ByNamespace", Rule([User("system:kube-scheduler")], [AllResources], [AllNonResources])),
        Schema("kube-system-service-accounts", "workload-high", 900, "ByNamespace", Rule([ServiceAccount("kube-system", "*")], [AllResources], [AllNonResources])),
        Schema("service-accounts", "workload-low", 9000, "ByUser", Rule([Group("system:serviceaccounts")], [AllResources], [AllNonResources])),
        Schema("global-default", "global-default", 9900, "ByUser", Rule([Group("system:unauthenticated"), Group("system:authenticated")], [AllResources], [AllNonResources])),
    ];

    private static JsonObject Level(string name, JsonObject spec) => Object("PriorityLevelConfiguration", name, spec);

    private static JsonObject Limited(int shares, int lendable, (int Queues, int HandSize, int QueueLengthLimit)? queuing)
    {
        var response = queuing is var (queues, handSize, limit)
            ? new JsonObject { ["type"] = "Queue", ["queuing"] = new JsonObject { ["queues"] = queues, ["handSize"] = handSize, ["queueLengthLimit"] = limit } }
            : new JsonObject { ["type"] = "Reject" };
        return new JsonObject
        {
            ["type"] = "Limited",
            ["limited"] = new JsonObject { ["nominalConcurrencyShares"] = shares, ["limitResponse"] = response, ["lendablePercent"] = lendable },
        };
    }

    private static JsonObject Schema(string name, string level, int precedence, string? distinguisher, JsonObject rule)
    {
        var spec = new JsonObject
        {
            ["priorityLevelConfiguration"] = new JsonObject { ["name"] = level },
            ["matchingPrecedence"] = precedence,
        };
        if (distinguisher is not null)
        {
            spec["distinguisherMethod"] = new JsonObject { ["type"] = distinguisher };
        }
        spec["rules"] = new JsonArray(rule);
        return Object("FlowSchema", name, spec);
    }

    private static JsonObject Rule(JsonObject[] subjects, JsonObject[] resourceRules, JsonObject[] nonResourceRules)
    {
        var rule = new JsonObject { ["subjects"] = new JsonArray([.. subjects.Select(s => (JsonNode)s.DeepClone())]) };
        if (resourceRules.Length > 0) rule["resourceRules"] = new JsonArray([.. resourceRules.Select(r => (JsonNode)r.DeepClone())]);
        if (nonResourceRules.Length > 0) rule["nonResourceRules"] = new JsonArray([.. nonResourceRules.Select(r => (JsonNode)r.DeepClone())]);
        return rule;
    }

    private static JsonObject Resources(string[] verbs, string[] groups, string[] resources, bool namespaced)
    {
        var rule = new JsonObject
        {
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
            ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
        };
        if (namespaced) rule["namespaces"] = new JsonArray("*"); else rule["clusterScope"] = true;
        return rule;
    }

    private static JsonObject Group(string name) => new() { ["kind"] = "Group", ["group"] = new JsonObject { ["name"] = name } };

    private static JsonObject User(string name) => new() { ["kind"] = "User", ["user"] = new JsonObject { ["name"] = name } };

    private static JsonObject ServiceAccount(string ns, string name) =>
        new() { ["kind"] = "ServiceAccount", ["serviceAccount"] = new JsonObject { ["namespace"] = ns, ["name"] = name } };

    private static JsonObject Object(string kind, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "flowcontrol.apiserver.k8s.io/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = new JsonObject { [PriorityAndFairnessConfigProducer.AutoUpdateAnnotation] = "true" } },
        ["spec"] = spec,
    };
}
