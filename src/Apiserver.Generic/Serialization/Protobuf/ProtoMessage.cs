namespace Apiserver.Generic.Serialization.Protobuf;

/// <summary>How a protobuf field maps to JSON.</summary>
public enum ProtoKind
{
    /// <summary>A string.</summary>
    String,
    /// <summary>Bytes, written to JSON as base64.</summary>
    Bytes,
    /// <summary>A 32-bit integer (varint).</summary>
    Int32,
    /// <summary>A 64-bit integer (varint).</summary>
    Int64,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A 64-bit float.</summary>
    Double,
    /// <summary>A nested message (<see cref="ProtoField.Message"/>).</summary>
    Message,
    /// <summary><c>map&lt;string,string&gt;</c>.</summary>
    StringMap,
    /// <summary><c>map&lt;string,bytes&gt;</c>, values as base64.</summary>
    BytesMap,
    /// <summary><c>metav1.Time</c>: RFC 3339 in whole seconds.</summary>
    Time,
    /// <summary><c>metav1.MicroTime</c>: RFC 3339 with microseconds.</summary>
    MicroTime,
    /// <summary><c>intstr.IntOrString</c>: a JSON number or string.</summary>
    IntOrString,
    /// <summary><c>resource.Quantity</c>: its string form.</summary>
    Quantity,
    /// <summary>A <c>runtime.RawExtension</c> or <c>FieldsV1</c>: embedded JSON bytes.</summary>
    RawJson,
    /// <summary>
    /// A Go struct embedded with <c>json:",inline"</c> (<see cref="ProtoField.Message"/>): a nested
    /// message on the wire whose fields are written into the parent's JSON object, as an IngressRule's
    /// <c>ingressRuleValue</c> (field 2) carries its <c>http</c>. Never repeated.
    /// </summary>
    Inline,
}

/// <summary>When a field appears in the JSON, following the Go type's <c>json</c> tag.</summary>
public enum ProtoPresence
{
    /// <summary>
    /// <c>omitempty</c> on a value field: left out when empty (<c>""</c>, 0, false, an empty list or
    /// map, a zero time). A nested message is written whenever it is on the wire, since Go writes
    /// struct fields even when empty (<c>"spec":{}</c>).
    /// </summary>
    OmitEmpty,
    /// <summary>A Go pointer (<c>*bool</c>, <c>*int64</c>, …): written whenever it is on the wire, even when zero.</summary>
    Pointer,
    /// <summary>
    /// No <c>omitempty</c>: written even when absent from the wire, with its zero value (<c>""</c>,
    /// 0, false, <c>{}</c>); zero times are still left out (Go would write <c>null</c>).
    /// </summary>
    Always,
}

/// <summary>One field of a protobuf message of the Kubernetes API.</summary>
/// <param name="Number">The field number.</param>
/// <param name="JsonName">The JSON field name.</param>
/// <param name="Kind">How the value maps to JSON.</param>
/// <param name="Repeated">Whether the field is a list (maps are <see cref="ProtoKind.StringMap"/> or <see cref="ProtoKind.BytesMap"/> instead).</param>
/// <param name="MessageFactory">For <see cref="ProtoKind.Message"/> and <see cref="ProtoKind.Inline"/>: the nested message type (a factory, so that types may refer to each other).</param>
/// <param name="Presence">When the field appears in the JSON.</param>
public sealed record ProtoField(
    int Number,
    string JsonName,
    ProtoKind Kind,
    bool Repeated = false,
    Func<ProtoMessage>? MessageFactory = null,
    ProtoPresence Presence = ProtoPresence.OmitEmpty)
{
    /// <summary>The nested message type, for <see cref="ProtoKind.Message"/>.</summary>
    public ProtoMessage? Message => MessageFactory?.Invoke();
}

/// <summary>
/// The shape of one protobuf message of the Kubernetes API (the field numbers of its
/// <c>generated.proto</c>), enough to turn the wire form into the JSON the server works with.
/// Fields are listed in the Go struct's order, which is the order of the JSON.
/// </summary>
public sealed class ProtoMessage
{
    private readonly Dictionary<int, ProtoField> _byNumber;

    /// <summary>Creates a message type.</summary>
    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        Fields = fields;
        _byNumber = fields.ToDictionary(f => f.Number);
    }

    /// <summary>The message's full name, e.g. <c>k8s.io.api.core.v1.ConfigMap</c>.</summary>
    public string Name { get; }

    /// <summary>The field with <paramref name="number"/>, or null (unknown fields are skipped).</summary>
    public ProtoField? Field(int number) => _byNumber.GetValueOrDefault(number);

    /// <summary>All fields, in JSON order.</summary>
    public IReadOnlyList<ProtoField> Fields { get; }
}
