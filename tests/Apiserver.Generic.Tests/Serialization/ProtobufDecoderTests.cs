using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Serialization.Protobuf;
using Google.Protobuf;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Serialization;

public class ProtobufDecoderTests
{
    private static readonly ProtoMessage Inner = new("test.Inner",
        new(1, "name", ProtoKind.String),
        new(2, "always", ProtoKind.String, Presence: ProtoPresence.Always));

    // A message with one field of every kind, numbered as a generated.proto would be.
    private static readonly ProtoMessage Sample = new("test.Sample",
        new(1, "str", ProtoKind.String),
        new(2, "bytes", ProtoKind.Bytes),
        new(3, "i32", ProtoKind.Int32),
        new(4, "i64", ProtoKind.Int64),
        new(5, "flag", ProtoKind.Bool),
        new(6, "dbl", ProtoKind.Double),
        new(7, "nested", ProtoKind.Message, MessageFactory: () => Inner),
        new(8, "labels", ProtoKind.StringMap),
        new(9, "blobs", ProtoKind.BytesMap),
        new(10, "time", ProtoKind.Time),
        new(11, "micro", ProtoKind.MicroTime),
        new(12, "port", ProtoKind.IntOrString),
        new(13, "qty", ProtoKind.Quantity),
        new(14, "raw", ProtoKind.RawJson),
        new(15, "names", ProtoKind.String, Repeated: true),
        new(16, "items", ProtoKind.Message, Repeated: true, MessageFactory: () => Inner),
        new(17, "ptrFlag", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(18, "ptrNum", ProtoKind.Int64, Presence: ProtoPresence.Pointer));

    // A message that contains itself, to nest arbitrarily deep.
    private static readonly ProtoMessage Node = new("test.Node",
        new(1, "child", ProtoKind.Message, MessageFactory: () => Node!),
        new(2, "name", ProtoKind.String));

    [Test]
    public void Envelope_KindAndApiVersionLeadTheObject()
    {
        var obj = ProtobufDecoder.Decode(Body(new Pb().String(1, "x")), Sample);

        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"kind":"Sample","apiVersion":"test/v1","str":"x"}"""));
    }

    [Test]
    public void Envelope_WithoutTypeMeta_LeavesKindAndApiVersionOut()
    {
        var envelope = new Pb().Bytes(2, new Pb().String(1, "x").ToArray()).String(4, "");

        var obj = ProtobufDecoder.Decode(WithMagic(envelope.ToArray()), Sample);

        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"str":"x"}"""));
    }

    [Test]
    public void Envelope_WithoutRaw_IsAnEmptyObject()
    {
        var envelope = new Pb().Message(1, new Pb().String(1, "v1").String(2, "Sample"));

        var obj = ProtobufDecoder.Decode(WithMagic(envelope.ToArray()), Sample);

        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"kind":"Sample","apiVersion":"v1"}"""));
    }

    [Test]
    public void Envelope_WithContentEncoding_IsBadRequest()
    {
        var envelope = new Pb()
            .Message(1, new Pb().String(1, "v1").String(2, "Sample"))
            .Bytes(2, [])
            .String(3, "gzip");

        AssertBadRequest(WithMagic(envelope.ToArray()), Sample);
    }

    [Test]
    public void Scalars_AreWrittenInSchemaOrder()
    {
        var typed = new Pb()
            .Varint(18, 7)
            .Varint(3, -5)
            .String(1, "héllo")
            .Bytes(2, [0, 1, 2, 255])
            .Varint(4, 1L << 40)
            .Varint(5, 1)
            .Double(6, 1.5);

        var obj = Decode(typed);

        Assert.That(obj.ToJsonString(), Is.EqualTo(
            """{"str":"h\u00E9llo","bytes":"AAEC/w==","i32":-5,"i64":1099511627776,"flag":true,"dbl":1.5,"ptrNum":7}"""));
    }

    [Test]
    public void EmptyValues_AreOmittedAsGoOmitEmptyDoes()
    {
        var typed = new Pb()
            .String(1, "")
            .Bytes(2, [])
            .Varint(3, 0)
            .Varint(4, 0)
            .Varint(5, 0)
            .Double(6, 0);

        Assert.That(Decode(typed).ToJsonString(), Is.EqualTo("{}"));
    }

    [Test]
    public void PointerFields_AreKeptWhenZero()
    {
        var typed = new Pb().Varint(17, 0).Varint(18, 0);

        Assert.That(Decode(typed).ToJsonString(), Is.EqualTo("""{"ptrFlag":false,"ptrNum":0}"""));
    }

    [Test]
    public void NestedMessage_IsKeptWhenEmpty_AndAlwaysFieldsGetZeroValues()
    {
        var typed = new Pb().Message(7, new Pb()).Message(16, new Pb().String(1, "a")).Message(16, new Pb());

        var obj = Decode(typed);

        Assert.That(obj.ToJsonString(), Is.EqualTo(
            """{"nested":{"always":""},"items":[{"name":"a","always":""},{"always":""}]}"""));
    }

    [Test]
    public void RepeatedStrings_KeepOrderAndEmptyEntries()
    {
        var typed = new Pb().String(15, "a").String(15, "").String(15, "c");

        Assert.That(Decode(typed)["names"]!.ToJsonString(), Is.EqualTo("""["a","","c"]"""));
    }

    [Test]
    public void SingularFieldTwice_LastOneWins()
    {
        var typed = new Pb().String(1, "first").String(1, "second");

        Assert.That(Decode(typed)["str"]!.GetValue<string>(), Is.EqualTo("second"));
    }

    [Test]
    public void Maps_AreObjects_WithBytesValuesInBase64()
    {
        var typed = new Pb()
            .Message(8, new Pb().String(1, "app").String(2, "web"))
            .Message(8, new Pb().String(1, "empty"))
            .Message(8, new Pb().String(1, "app").String(2, "db"))
            .Message(9, new Pb().String(1, "key").Bytes(2, Encoding.UTF8.GetBytes("s3cr3t!")));

        var obj = Decode(typed);

        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"labels":{"app":"db","empty":""},"blobs":{"key":"czNjcjN0IQ=="}}"""));
    }

    [Test]
    public void EmptyMapEntryList_IsOmitted()
    {
        Assert.That(Decode(new Pb()).ContainsKey("labels"), Is.False);
    }

    [Test]
    public void Time_IsRfc3339InWholeSeconds()
    {
        var typed = new Pb().Message(10, new Pb().Varint(1, 1704164645).Varint(2, 999_999_999));

        Assert.That(Decode(typed)["time"]!.GetValue<string>(), Is.EqualTo("2024-01-02T03:04:05Z"));
    }

    [Test]
    public void MicroTime_HasSixFractionalDigits()
    {
        var typed = new Pb().Message(11, new Pb().Varint(1, 1704164645).Varint(2, 123_456_789));

        Assert.That(Decode(typed)["micro"]!.GetValue<string>(), Is.EqualTo("2024-01-02T03:04:05.123456Z"));
    }

    [Test]
    public void Time_AtTheEpoch_IsKept()
    {
        var typed = new Pb().Message(10, new Pb().Varint(1, 0).Varint(2, 0));

        Assert.That(Decode(typed)["time"]!.GetValue<string>(), Is.EqualTo("1970-01-01T00:00:00Z"));
    }

    [Test]
    public void ZeroTime_IsOmitted()
    {
        var typed = new Pb().Message(10, new Pb()).Message(11, new Pb().Varint(1, -62135596800));

        Assert.That(Decode(typed).ToJsonString(), Is.EqualTo("{}"));
    }

    [Test]
    public void Time_OutOfRange_IsBadRequest()
    {
        var typed = new Pb().Message(10, new Pb().Varint(1, 253402300800));

        AssertBadRequest(Body(typed), Sample);
    }

    [Test]
    public void ObjectMeta_ZeroCreationTimestamp_IsDropped()
    {
        var typed = new Pb().String(1, "cm").Message(8, new Pb()).Varint(7, 0);

        var obj = ProtobufDecoder.Decode(Body(typed), MetaV1Messages.ObjectMeta);

        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"kind":"Sample","apiVersion":"test/v1","name":"cm"}"""));
    }

    [Test]
    public void IntOrString_Int_IsANumber()
    {
        var typed = new Pb().Message(12, new Pb().Varint(1, 0).Varint(2, 8080));

        Assert.That(Decode(typed)["port"]!.ToJsonString(), Is.EqualTo("8080"));
    }

    [Test]
    public void IntOrString_String_IsAString()
    {
        var typed = new Pb().Message(12, new Pb().Varint(1, 1).String(3, "http"));

        Assert.That(Decode(typed)["port"]!.ToJsonString(), Is.EqualTo("\"http\""));
    }

    [Test]
    public void IntOrString_UnknownType_IsBadRequest()
    {
        var typed = new Pb().Message(12, new Pb().Varint(1, 2));

        AssertBadRequest(Body(typed), Sample);
    }

    [Test]
    public void Quantity_IsItsString()
    {
        var typed = new Pb().Message(13, new Pb().String(1, "500m"));

        Assert.That(Decode(typed)["qty"]!.GetValue<string>(), Is.EqualTo("500m"));
    }

    [Test]
    public void RawJson_IsEmbedded()
    {
        var typed = new Pb().Message(14, new Pb().Bytes(1, """{"f:data":{".":{}}}"""u8.ToArray()));

        Assert.That(Decode(typed)["raw"]!.ToJsonString(), Is.EqualTo("""{"f:data":{".":{}}}"""));
    }

    [Test]
    public void RawJson_Invalid_IsBadRequest()
    {
        var typed = new Pb().Message(14, new Pb().Bytes(1, "{not json"u8.ToArray()));

        AssertBadRequest(Body(typed), Sample);
    }

    [Test]
    public void ManagedFields_FieldsV1_IsEmbeddedJson()
    {
        var entry = new Pb()
            .String(1, "kubectl-create")
            .String(2, "Update")
            .String(3, "v1")
            .Message(4, new Pb().Varint(1, 1704164645))
            .String(6, "FieldsV1")
            .Message(7, new Pb().Bytes(1, """{"f:data":{}}"""u8.ToArray()));
        var typed = new Pb().String(1, "cm").Message(17, entry);

        var obj = ProtobufDecoder.Decode(Body(typed), MetaV1Messages.ObjectMeta);

        Assert.That(obj["managedFields"]!.ToJsonString(), Is.EqualTo(
            """[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2024-01-02T03:04:05Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]"""));
    }

    [Test]
    public void OwnerReference_RequiredFieldsAreAlwaysWritten()
    {
        var typed = new Pb().Message(13, new Pb().String(1, "ReplicaSet").String(3, "rs").Varint(6, 1));

        var obj = ProtobufDecoder.Decode(Body(typed), MetaV1Messages.ObjectMeta);

        Assert.That(obj["ownerReferences"]!.ToJsonString(), Is.EqualTo(
            """[{"apiVersion":"","kind":"ReplicaSet","name":"rs","uid":"","controller":true}]"""));
    }

    [Test]
    public void DeleteOptions_ZeroGracePeriodAndPreconditions_AreKept()
    {
        var typed = new Pb()
            .Varint(1, 0)
            .Message(2, new Pb().String(1, "uid-1").String(2, ""))
            .String(4, "Foreground")
            .String(5, "All");

        var obj = ProtobufDecoder.Decode(Body(typed, "v1", "DeleteOptions"), MetaV1Messages.DeleteOptions);

        Assert.That(obj.ToJsonString(), Is.EqualTo(
            """{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,"preconditions":{"uid":"uid-1","resourceVersion":""},"propagationPolicy":"Foreground","dryRun":["All"]}"""));
    }

    [Test]
    public void UnknownFields_AreSkipped()
    {
        var typed = new Pb()
            .Varint(99, 12345)
            .String(1, "kept")
            .Fixed32(100, 7)
            .Double(101, 2.5)
            .Bytes(102, [1, 2, 3])
            .Group(103, new Pb().Varint(1, 1).String(2, "in a group"))
            .Message(7, new Pb().Varint(50, 1).String(1, "inner"));
        var envelope = new Pb()
            .Varint(42, 1)
            .Message(1, new Pb().String(1, "test/v1").String(2, "Sample").String(9, "extra"))
            .Bytes(2, typed.ToArray())
            .String(4, "");

        var obj = ProtobufDecoder.Decode(WithMagic(envelope.ToArray()), Sample);

        Assert.That(obj.ToJsonString(), Is.EqualTo(
            """{"kind":"Sample","apiVersion":"test/v1","str":"kept","nested":{"name":"inner","always":""}}"""));
    }

    [Test]
    public void NestingOf100Messages_IsAccepted()
    {
        var obj = ProtobufDecoder.Decode(Body(Nest(99)), Node);

        Assert.That(obj["child"], Is.Not.Null);
    }

    [Test]
    public void NestingDeeperThan100Messages_IsBadRequest()
    {
        AssertBadRequest(Body(Nest(100)), Node);
    }

    [TestCase(new byte[0], TestName = "EmptyBody_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73 }, TestName = "ShortMagic_IsBadRequest")]
    [TestCase(new byte[] { 0x7b, 0x7d }, TestName = "JsonBody_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00 }, TestName = "WrongMagic_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x12 }, TestName = "EnvelopeTruncatedAfterTag_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x12, 0x05, 0x0a }, TestName = "EnvelopeTruncatedPayload_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x12, 0xff }, TestName = "EnvelopeTruncatedLength_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x00 }, TestName = "FieldNumberZero_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x0c }, TestName = "EndGroupWithoutStart_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x0f }, TestName = "InvalidWireType_IsBadRequest")]
    [TestCase(new byte[] { 0x6b, 0x38, 0x73, 0x00, 0x08, 0x01 }, TestName = "EnvelopeTypeMetaAsVarint_IsBadRequest")]
    public void MalformedBody_IsBadRequest(byte[] body)
    {
        AssertBadRequest(body, Sample);
    }

    [Test]
    public void TruncatedVarint_IsBadRequest()
    {
        // i64 (field 4, varint) whose varint never ends.
        AssertBadRequest(Body(new Pb().Raw(0x20, 0xff, 0xff)), Sample);
    }

    [Test]
    public void OverlongVarint_IsBadRequest()
    {
        AssertBadRequest(Body(new Pb().Raw(0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)), Sample);
    }

    [Test]
    public void WrongWireTypeForKnownField_IsBadRequest()
    {
        // str (field 1) sent as a varint.
        var e = AssertBadRequest(Body(new Pb().Varint(1, 3)), Sample);

        Assert.That(e.Message, Does.Contain("str"));
    }

    [Test]
    public void VarintFieldSentAsBytes_IsBadRequest()
    {
        AssertBadRequest(Body(new Pb().Bytes(5, [1])), Sample);
    }

    [Test]
    public void MapEntryWithWrongWireType_IsBadRequest()
    {
        AssertBadRequest(Body(new Pb().Message(8, new Pb().Varint(1, 1))), Sample);
    }

    [Test]
    public void InvalidUtf8_IsBadRequest()
    {
        var e = AssertBadRequest(Body(new Pb().Bytes(1, [0x61, 0xc3, 0x28])), Sample);

        Assert.That(e.Message, Does.Contain("UTF-8"));
    }

    [Test]
    public void InvalidUtf8InMapKey_IsBadRequest()
    {
        AssertBadRequest(Body(new Pb().Message(8, new Pb().Bytes(1, [0xff]))), Sample);
    }

    [Test]
    public void RandomCorruption_IsOnlyEverBadRequest()
    {
        var typed = new Pb()
            .String(1, "name")
            .Message(7, new Pb().String(1, "inner"))
            .Message(8, new Pb().String(1, "k").String(2, "v"))
            .Message(10, new Pb().Varint(1, 1704164645))
            .Message(12, new Pb().Varint(1, 1).String(3, "http"))
            .Message(14, new Pb().Bytes(1, """{"a":1}"""u8.ToArray()))
            .Message(16, new Pb().String(1, "x"));
        var valid = Body(typed);
        var random = new Random(1234);
        for (var i = 0; i < 5000; i++)
        {
            var body = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(4, body.Length)] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
            {
                Array.Resize(ref body, random.Next(4, body.Length));
            }
            try
            {
                ProtobufDecoder.Decode(body, Sample);
            }
            catch (StatusException e)
            {
                Assert.That(e.Code, Is.EqualTo(400));
            }
        }
    }

    /// <summary>Decodes a <see cref="Sample"/> and drops the envelope's kind and apiVersion.</summary>
    private static JsonObject Decode(Pb typed)
    {
        var obj = ProtobufDecoder.Decode(Body(typed), Sample);
        obj.Remove("kind");
        obj.Remove("apiVersion");
        return obj;
    }

    private static StatusException AssertBadRequest(byte[] body, ProtoMessage message)
    {
        var e = Assert.Throws<StatusException>(() => ProtobufDecoder.Decode(body, message))!;
        Assert.That(e.Code, Is.EqualTo(400));
        return e;
    }

    private static Pb Nest(int levels)
    {
        var node = new Pb().String(2, "leaf");
        for (var i = 0; i < levels; i++)
        {
            node = new Pb().Message(1, node);
        }
        return node;
    }

    private static byte[] Body(Pb typed, string apiVersion = "test/v1", string kind = "Sample")
    {
        var envelope = new Pb()
            .Message(1, new Pb().String(1, apiVersion).String(2, kind))
            .Bytes(2, typed.ToArray())
            .String(3, "")
            .String(4, "");
        return WithMagic(envelope.ToArray());
    }

    private static byte[] WithMagic(byte[] envelope) => [.. "k8s\0"u8, .. envelope];

    /// <summary>Writes protobuf fields by hand, as a generated marshaller would.</summary>
    private sealed class Pb
    {
        private readonly MemoryStream _stream = new();
        private readonly CodedOutputStream _output;

        public Pb() => _output = new CodedOutputStream(_stream, leaveOpen: true);

        public Pb String(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));

        public Pb Bytes(int number, byte[] value)
        {
            _output.WriteTag(number, WireFormat.WireType.LengthDelimited);
            _output.WriteBytes(ByteString.CopyFrom(value));
            return this;
        }

        public Pb Message(int number, Pb message) => Bytes(number, message.ToArray());

        public Pb Varint(int number, long value)
        {
            _output.WriteTag(number, WireFormat.WireType.Varint);
            _output.WriteInt64(value);
            return this;
        }

        public Pb Double(int number, double value)
        {
            _output.WriteTag(number, WireFormat.WireType.Fixed64);
            _output.WriteDouble(value);
            return this;
        }

        public Pb Fixed32(int number, uint value)
        {
            _output.WriteTag(number, WireFormat.WireType.Fixed32);
            _output.WriteFixed32(value);
            return this;
        }

        public Pb Group(int number, Pb content)
        {
            _output.WriteTag(number, WireFormat.WireType.StartGroup);
            Raw(content.ToArray());
            _output.WriteTag(number, WireFormat.WireType.EndGroup);
            return this;
        }

        public Pb Raw(params byte[] bytes)
        {
            _output.Flush();
            _stream.Write(bytes);
            return this;
        }

        public byte[] ToArray()
        {
            _output.Flush();
            return _stream.ToArray();
        }
    }
}
