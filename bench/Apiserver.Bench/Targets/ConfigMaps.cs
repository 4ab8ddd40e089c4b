using System.Globalization;
using System.Text;

namespace Apiserver.Bench.Targets;

/// <summary>The objects the load is made of: ConfigMaps whose JSON is about <c>--object-size</c> bytes.</summary>
internal sealed class ConfigMaps
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly string[] _payloads;

    public ConfigMaps(int objectSize)
    {
        ObjectSize = objectSize;
        // The body without payload is about 110 bytes; the payload makes up the rest. Two variants
        // (fixed seeds, so runs compare) let an update change every object it touches.
        var length = Math.Max(1, objectSize - Body("bench-000000-c00", "cm-000000", "").Length);
        var random = new Random(42);
        _payloads = [.. Enumerable.Range(0, 2).Select(_ => string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        }))];
    }

    public int ObjectSize { get; }

    /// <summary>The name of the <paramref name="index"/>th object of a phase's namespace.</summary>
    public static string Name(int index) => "cm-" + index.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The name of the <paramref name="index"/>th object created while watchers watch.</summary>
    public static string EventName(int index) => "ev-" + index.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The index in an <see cref="EventName"/>, or -1.</summary>
    public static int EventIndex(ReadOnlySpan<char> name) =>
        name.StartsWith("ev-") && int.TryParse(name[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;

    /// <summary>The payload of the data key, in one of two variants.</summary>
    public string Payload(int variant) => _payloads[variant & 1];

    /// <summary>What a client POSTs.</summary>
    public byte[] CreateBody(string ns, string name) => Encoding.UTF8.GetBytes(Body(ns, name, _payloads[0]));

    /// <summary>
    /// What the server would store: the request plus the metadata it adds (uid, timestamp), without
    /// resourceVersion: the value the storage baseline writes.
    /// </summary>
    public byte[] StoredValue(string ns, string name, int variant) => Encoding.UTF8.GetBytes(
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"{{{Guid.NewGuid()}}}","creationTimestamp":"2025-01-01T00:00:00Z"},"data":{"payload":"{{{Payload(variant)}}}"}}""");

    /// <summary>What a server answers for an object: the stored value with a resourceVersion (the bare Kestrel baseline's fixed body).</summary>
    public byte[] ServedObject(string ns, string name) => Encoding.UTF8.GetBytes(
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"{{{Guid.Empty}}}","resourceVersion":"1","creationTimestamp":"2025-01-01T00:00:00Z"},"data":{"payload":"{{{Payload(0)}}}"}}""");

    private static string Body(string ns, string name, string payload) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"payload":"{{{payload}}}"}}""";
}
