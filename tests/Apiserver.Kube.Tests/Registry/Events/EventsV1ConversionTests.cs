using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Events;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Events;

/// <summary>events.k8s.io/v1 ⇄ core/v1 Event, field for field as kube maps them.</summary>
public class EventsV1ConversionTests
{
    [Test]
    public void EventsToCore_RenamesAndOrdersAsCore()
    {
        var core = EventsV1Conversion.Instance.ToStorage(JsonNode.Parse("""
            {"metadata":{"name":"e"},"eventTime":"2025-01-02T03:04:05.000001Z","reportingController":"c","reportingInstance":"i","action":"A","reason":"R",
             "regarding":{"kind":"Pod","name":"p"},"related":{"kind":"Node","name":"n"},"note":"hello","type":"Warning",
             "deprecatedSource":{"component":"kubelet"},"deprecatedFirstTimestamp":"2025-01-01T00:00:00Z","deprecatedLastTimestamp":null,"deprecatedCount":4}
            """)!.AsObject());
        Assert.That(core.ToJsonString(), Is.EqualTo(
            """{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"R","message":"hello","source":{"component":"kubelet"},"firstTimestamp":"2025-01-01T00:00:00Z","count":4,"type":"Warning","eventTime":"2025-01-02T03:04:05.000001Z","action":"A","related":{"kind":"Node","name":"n"},"reportingComponent":"c","reportingInstance":"i"}"""));
    }

    [Test]
    public void CoreToEvents_WritesWhatGoWritesWhenEmpty()
    {
        var events = EventsV1Conversion.Instance.FromStorage(JsonNode.Parse("""{"metadata":{"name":"e"},"reason":"R","message":"m","count":1}""")!.AsObject());
        Assert.That(events.ToJsonString(), Is.EqualTo(
            """{"metadata":{"name":"e"},"eventTime":null,"reason":"R","regarding":{},"note":"m","deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null,"deprecatedCount":1}"""));
    }

    [Test]
    public void CoreToEventsToCore_RoundTrips()
    {
        var core = JsonNode.Parse("""
            {"metadata":{"name":"e","namespace":"d"},"involvedObject":{"kind":"Pod","namespace":"d","name":"p"},"reason":"R","message":"m","source":{"component":"k","host":"h"},
             "firstTimestamp":"2025-01-01T00:00:00Z","lastTimestamp":"2025-01-01T00:01:00Z","count":2,"type":"Normal","series":{"count":2,"lastObservedTime":"2025-01-01T00:01:00.000000Z"},
             "reportingComponent":"k","reportingInstance":"h"}
            """)!.AsObject();
        var back = EventsV1Conversion.Instance.ToStorage(EventsV1Conversion.Instance.FromStorage((JsonObject)core.DeepClone()));
        Assert.That(JsonNode.DeepEquals(back, core), Is.True, back.ToJsonString());
    }
}
