using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Selection;
using Apiserver.Generic.Storage;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.ComponentStatuses;

/// <summary>
/// The <c>componentstatuses</c> resource of core v1 (<c>cs</c>, get and list only, nothing stored):
/// every read checks the components kube-apiserver reports on — the scheduler and the controller
/// manager through their health endpoints on this machine, and the storage backend as
/// <c>etcd-0</c> — and answers each as a <c>ComponentStatus</c> with one <c>Healthy</c> condition.
/// Deprecated in kube since 1.19, which every read says in a warning.
/// </summary>
public sealed class ComponentStatusStore : IGetter, ILister, ITableConvertor, IShortNamesProvider, ISchemaProvider
{
    /// <summary>kube's deprecation warning for the kind.</summary>
    public const string DeprecationWarning = "v1 ComponentStatus is deprecated in v1.19+";

    private static readonly GroupVersionKind Kind = new("", "v1", "ComponentStatus");

    private static readonly IReadOnlyList<TableColumn> Columns =
    [
        TableColumn.NameColumn,
        new("Status", "string", "Status of the component conditions", obj => Healthy(obj) is { } c ? (c["status"]?.ToString() == "True" ? "Healthy" : "Unhealthy") : "Unknown"),
        new("Message", "string", "Message of the component conditions", obj => Healthy(obj)?["message"]?.ToString() ?? ""),
        new("Error", "string", "Error of the component conditions", obj => Healthy(obj)?["error"]?.ToString() ?? ""),
    ];

    private readonly IReadOnlyList<ComponentProbe> _components;

    /// <summary>Reports on <paramref name="components"/>.</summary>
    public ComponentStatusStore(IReadOnlyList<ComponentProbe> components) => _components = components;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(Kind, "componentstatuses", "componentstatus", Namespaced: false);

    /// <inheritdoc/>
    public IReadOnlyList<string> ShortNames { get; } = ["cs"];

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => ModelSchemas.For(typeof(k8s.Models.V1ComponentStatus));

    /// <inheritdoc/>
    public bool Typed => true;

    /// <summary>
    /// kube-apiserver's components: the scheduler (port 10259) and controller manager (10257) on
    /// this machine over HTTPS, and the storage backend as <c>etcd-0</c>.
    /// </summary>
    public static IReadOnlyList<ComponentProbe> KubeComponents(IStorage storage, HttpClient client) =>
    [
        ComponentProbe.Http("controller-manager", new Uri("https://127.0.0.1:10257/healthz"), client),
        ComponentProbe.Http("scheduler", new Uri("https://127.0.0.1:10259/healthz"), client),
        new("etcd-0", async ct => await StorageHealthCheck.CheckAsync(storage, ct) is { } problem
            ? new ComponentHealth("False", "", problem)
            : new ComponentHealth("True", "ok", "")),
    ];

    /// <inheritdoc/>
    public async Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken)
    {
        context.Warnings?.Add(DeprecationWarning);
        var component = _components.FirstOrDefault(c => c.Name == name)
            ?? throw StatusException.NotFound(Names.GroupResource, name);
        return await CheckAsync(component, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<JsonObject> ListAsync(RequestContext context, Generic.Registry.Rest.ListOptions options, CancellationToken cancellationToken)
    {
        context.Warnings?.Add(DeprecationWarning);
        var fields = FieldSelector.Parse(options.FieldSelector);
        var labels = LabelSelector.Parse(options.LabelSelector);
        // The checks run together, as kube runs them; components carry no labels.
        var statuses = await Task.WhenAll(_components.Select(c => CheckAsync(c, cancellationToken)));
        var items = statuses
            .Where(s => fields.Matches(f => f == "metadata.name" ? s.GetName() : null) && labels.Matches(new Dictionary<string, string>()))
            .OrderBy(s => s.GetName(), StringComparer.Ordinal);
        return new JsonObject
        {
            ["kind"] = "ComponentStatusList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray([.. items]),
        };
    }

    /// <inheritdoc/>
    public JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options) =>
        TableRenderer.Render(Columns, Kind, objectOrList, options);

    private static async Task<JsonObject> CheckAsync(ComponentProbe component, CancellationToken cancellationToken)
    {
        var health = await component.Check(cancellationToken);
        var condition = new JsonObject { ["type"] = "Healthy", ["status"] = health.Status };
        if (health.Message.Length > 0) condition["message"] = health.Message;
        if (health.Error.Length > 0) condition["error"] = health.Error;
        return new JsonObject
        {
            ["kind"] = "ComponentStatus",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = component.Name },
            ["conditions"] = new JsonArray(condition),
        };
    }

    private static JsonObject? Healthy(JsonObject obj) =>
        (obj["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Healthy");
}
