using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Events;

/// <summary>
/// events.k8s.io/v1 Event to and from the core/v1 Event it is stored as, field for field as
/// <c>pkg/apis/events/v1/conversion.go</c>: note is message, regarding is involvedObject,
/// reportingController is reportingComponent, the deprecated fields are source, firstTimestamp,
/// lastTimestamp and count; the rest keep their names. Fields come out in each Go struct's order;
/// what Go writes although empty (<c>regarding</c>, <c>deprecatedSource</c>, zero times as
/// <c>null</c>) is written so too.
/// </summary>
internal sealed class EventsV1Conversion : IVersionConverter
{
    public static EventsV1Conversion Instance { get; } = new();

    // (events.k8s.io/v1 name, core/v1 name), in events.k8s.io/v1 order.
    private static readonly (string Events, string Core)[] Fields =
    [
        ("metadata", "metadata"), ("eventTime", "eventTime"), ("series", "series"),
        ("reportingController", "reportingComponent"), ("reportingInstance", "reportingInstance"),
        ("action", "action"), ("reason", "reason"), ("regarding", "involvedObject"), ("related", "related"),
        ("note", "message"), ("type", "type"), ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ];

    private static readonly string[] CoreOrder =
    [
        "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
        "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance",
    ];

    // Go writes these events.k8s.io/v1 fields even when empty: structs as {}, zero times as null.
    private static readonly Dictionary<string, Func<JsonNode?>> AlwaysWritten = new()
    {
        ["eventTime"] = () => null,
        ["regarding"] = () => new JsonObject(),
        ["deprecatedSource"] = () => new JsonObject(),
        ["deprecatedFirstTimestamp"] = () => null,
        ["deprecatedLastTimestamp"] = () => null,
    };

    public JsonObject ToStorage(JsonObject served)
    {
        var values = new Dictionary<string, JsonNode?>();
        foreach (var (events, core) in Fields)
        {
            if (served[events] is { } value)
            {
                values[core] = value.DeepClone();
            }
        }
        var result = new JsonObject();
        foreach (var name in CoreOrder)
        {
            if (values.TryGetValue(name, out var value))
            {
                result[name] = value;
            }
        }
        return result;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        var result = new JsonObject();
        foreach (var (events, core) in Fields)
        {
            if (stored[core] is { } value)
            {
                result[events] = value.DeepClone();
            }
            else if (AlwaysWritten.TryGetValue(events, out var empty))
            {
                result[events] = empty();
            }
        }
        return result;
    }

    /// <summary>
    /// The strict rules of <c>ValidateEventCreate</c> for events created through events.k8s.io/v1, with
    /// kube's (internal) field paths.
    /// </summary>
    public void ValidateCreate(JsonObject served, List<FieldError> errors)
    {
        if (ObjectMeta.ParseTime(served["eventTime"]) is null)
        {
            errors.Add(FieldError.Required("eventTime"));
        }
        var type = served["type"]?.ToString() ?? "";
        if (type is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", "", $"has invalid value: {type}"));
        }
        if (served["deprecatedFirstTimestamp"] is JsonValue)
        {
            errors.Add(FieldError.Invalid("firstTimestamp", "", "needs to be unset"));
        }
        if (served["deprecatedLastTimestamp"] is JsonValue)
        {
            errors.Add(FieldError.Invalid("lastTimestamp", "", "needs to be unset"));
        }
        if (served["deprecatedCount"] is JsonValue count && count.ToString() != "0")
        {
            errors.Add(FieldError.Invalid("count", "", "needs to be unset"));
        }
        if (served["deprecatedSource"] is JsonObject source && (source["component"]?.ToString() is { Length: > 0 } || source["host"]?.ToString() is { Length: > 0 }))
        {
            errors.Add(FieldError.Invalid("source", "", "needs to be unset"));
        }
        if (served["series"] is JsonObject series)
        {
            if (!long.TryParse(series["count"]?.ToString(), out var n) || n < 2)
            {
                errors.Add(FieldError.Invalid("series.count", "", "should be at least 2"));
            }
            if (ObjectMeta.ParseTime(series["lastObservedTime"]) is null)
            {
                errors.Add(FieldError.Required("series.lastObservedTime"));
            }
        }
    }
}
