using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Events;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Events;

/// <summary>
/// The <c>events</c> resource of events.k8s.io/v1: the core/v1 events, stored once as core/v1 and
/// shown in this version's shape (<see cref="EventsV1Conversion"/>), so an event written through
/// either group is read and watched through both.
/// </summary>
public static class EventsV1Resource
{
    /// <summary>The version served.</summary>
    public static ServedVersion Version { get; } = new(
        new ResourceNames(new GroupVersionKind("events.k8s.io", "v1", "Event"), "events", "event", Namespaced: true),
        EventsV1Conversion.Instance)
    {
        Schema = ModelSchemas.For(typeof(k8s.Models.Eventsv1Event)),
        Typed = true,
        Protobuf = EventsV1Messages.Event,
        ShortNames = ["ev"],
        // kube prints events of either group from the same internal object: the core columns, on the core form.
        Columns = [.. EventResource.Definition.Columns.Select(c => c with { Cell = obj => c.Cell(AsCore(obj)) })],
    };

    private static JsonObject AsCore(JsonObject obj) => EventsV1Conversion.Instance.ToStorage((JsonObject)obj.DeepClone());
}
