using System.Text;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Networking.Ingresses;
using Google.Protobuf;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Networking;

/// <summary>
/// An Ingress as <c>kubectl create ingress x --rule=foo.com/bar=svc:80</c> writes it in protobuf: the
/// rule's IngressRuleValue is field 2 on the wire and inline in the JSON.
/// </summary>
public class IngressProtobufTests
{
    private static byte[] Field(int number, byte[] payload)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Varint(int number, long value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Text(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));

    [Test]
    public void KubectlCreateIngressBody_DecodesWithTheRuleValueInline()
    {
        var port = Field(2, Varint(2, 80));
        var service = Field(4, [.. Text(1, "svc"), .. port]);
        var path = Field(1, [.. Text(1, "/bar"), .. Field(2, service), .. Text(3, "Exact")]);
        var rule = Field(3, [.. Text(1, "foo.com"), .. Field(2, Field(1, path))]);
        var ingress = (byte[])[.. Field(1, [.. Text(1, "x"), .. Text(3, "default")]), .. Field(2, rule), .. Field(3, Field(1, []))];
        var envelope = (byte[])[.. Field(1, [.. Text(1, "networking.k8s.io/v1"), .. Text(2, "Ingress")]), .. Field(2, ingress)];

        var obj = ProtobufDecoder.Decode([.. "k8s\0"u8, .. envelope], IngressMessages.Ingress);

        Assert.That(obj["spec"]!.ToJsonString(), Is.EqualTo(
            """{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","pathType":"Exact","backend":{"service":{"name":"svc","port":{"number":80}}}}]}}]}"""));
        Assert.That(obj["status"]!.ToJsonString(), Is.EqualTo("""{"loadBalancer":{}}"""));
    }

    [Test]
    public void RuleWithoutValue_HasOnlyItsHost()
    {
        var envelope = (byte[])[.. Field(2, [.. Field(1, Text(1, "x")), .. Field(2, Field(3, Text(1, "a.example.com")))])];
        var obj = ProtobufDecoder.Decode([.. "k8s\0"u8, .. envelope], IngressMessages.Ingress);
        Assert.That(obj["spec"]!["rules"]!.ToJsonString(), Is.EqualTo("""[{"host":"a.example.com"}]"""));
    }
}
