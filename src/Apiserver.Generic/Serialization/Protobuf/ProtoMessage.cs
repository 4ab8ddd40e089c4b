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
}

/// <summary>One field of a protobuf message of the Kubernetes API.</summary>
/// <param name="Number">The field number.</param>
/// <param name="JsonName">The JSON field name.</param>
/// <param name="Kind">How the value maps to JSON.</param>
/// <param name="Repeated">Whether the field is a list.</param>
/// <param name="MessageFactory">For <see cref="ProtoKind.Message"/>: the nested message type (a factory, so that types may refer to each other).</param>
public sealed record ProtoField(int Number, string JsonName, ProtoKind Kind, bool Repeated = false, Func<ProtoMessage>? MessageFactory = null)
{
    /// <summary>The nested message type, for <see cref="ProtoKind.Message"/>.</summary>
    public ProtoMessage? Message => MessageFactory?.Invoke();
}

/// <summary>
/// The shape of one protobuf message of the Kubernetes API (the field numbers of its
/// <c>generated.proto</c>), enough to turn the wire form into the JSON the server works with.
/// </summary>
public sealed class ProtoMessage
{
    private readonly Dictionary<int, ProtoField> _fields;

    /// <summary>Creates a message type.</summary>
    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        _fields = fields.ToDictionary(f => f.Number);
    }

    /// <summary>The message's full name, e.g. <c>k8s.io.api.core.v1.ConfigMap</c>.</summary>
    public string Name { get; }

    /// <summary>The field with <paramref name="number"/>, or null (unknown fields are skipped).</summary>
    public ProtoField? Field(int number) => _fields.GetValueOrDefault(number);

    /// <summary>All fields.</summary>
    public IEnumerable<ProtoField> Fields => _fields.Values;
}
