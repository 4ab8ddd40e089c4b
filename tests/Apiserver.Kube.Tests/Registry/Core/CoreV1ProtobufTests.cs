using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Core;
using Apiserver.Kube.Registry.Core.ConfigMaps;
using Apiserver.Kube.Registry.Core.Events;
using Apiserver.Kube.Registry.Core.Namespaces;
using Apiserver.Kube.Registry.Core.Secrets;
using Apiserver.Kube.Registry.Core.ServiceAccounts;
using Google.Protobuf;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Core;

/// <summary>
/// The core/v1 protobuf schemas against real request bodies: what kubectl 1.33 sends as protobuf
/// must decode to what kubectl 1.27 sends as JSON for the same command (both captured with -v=9).
/// kubectl's JSON carries <c>"creationTimestamp":null</c>, which the decoder leaves out.
/// </summary>
public class CoreV1ProtobufTests
{
    // kubectl create configmap cm1 --from-literal=a=b --from-literal=key2=value2 (-n default)
    private const string ConfigMapProtobuf =
        "6b3873000a0f0a0276311209436f6e6669674d617012340a1a0a03636d3112001a0764656661756c7422002a00320038" +
        "00420012060a0161120162120e0a046b657932120676616c7565321a002200";

    private const string ConfigMapJson =
        """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm1","namespace":"default","creationTimestamp":null},"data":{"a":"b","key2":"value2"}}""";

    // kubectl create secret generic s1 --from-literal=user=admin --from-literal=pw=s3cr3t! (-n default)
    private const string SecretProtobuf =
        "6b3873000a0c0a0276311206536563726574123b0a190a02733112001a0764656661756c7422002a0032003800420012" +
        "0d0a027077120773336372337421120d0a0475736572120561646d696e1a001a002200";

    private const string SecretJson =
        """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1","namespace":"default","creationTimestamp":null},"data":{"pw":"czNjcjN0IQ==","user":"YWRtaW4="}}""";

    // kubectl create namespace ns1
    private const string NamespaceProtobuf =
        "6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a02" +
        "0a001a002200";

    private const string NamespaceJson =
        """{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"ns1","creationTimestamp":null},"spec":{},"status":{}}""";

    // kubectl create serviceaccount sa1 (-n default)
    private const string ServiceAccountProtobuf =
        "6b3873000a140a027631120e536572766963654163636f756e74121c0a1a0a0373613112001a0764656661756c742200" +
        "2a003200380042001a002200";

    private const string ServiceAccountJson =
        """{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa1","namespace":"default","creationTimestamp":null}}""";

    // kubectl create secret docker-registry reg1 --docker-server=r.example.io --docker-username=u --docker-password=p --docker-email=e@x.io (-n default)
    private const string DockerRegistrySecretProtobuf =
        "6b3873000a0c0a027631120653656372657412ad010a1b0a047265673112001a0764656661756c7422002a0032003800" +
        "4200126e0a112e646f636b6572636f6e6669676a736f6e12597b226175746873223a7b22722e6578616d706c652e696f" +
        "223a7b22757365726e616d65223a2275222c2270617373776f7264223a2270222c22656d61696c223a226540782e696f" +
        "222c2261757468223a2264547077227d7d7d1a1e6b756265726e657465732e696f2f646f636b6572636f6e6669676a73" +
        "6f6e1a002200";

    private const string DockerRegistrySecretJson =
        """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"reg1","namespace":"default","creationTimestamp":null},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmV4YW1wbGUuaW8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHguaW8iLCJhdXRoIjoiZFRwdyJ9fX0="},"type":"kubernetes.io/dockerconfigjson"}""";

    // kubectl create configmap cm2 --from-literal=greeting='héllo wörld ✓' --from-literal=empty= --append-hash (-n default)
    private const string UnicodeConfigMapProtobuf =
        "6b3873000a0f0a0276311209436f6e6669674d617012510a250a0e636d322d376832346232636b386d12001a07646566" +
        "61756c7422002a0032003800420012090a05656d7074791200121d0a086772656574696e67121168c3a96c6c6f2077c3" +
        "b6726c6420e29c931a002200";

    private const string UnicodeConfigMapJson =
        """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm2-7h24b2ck8m","namespace":"default","creationTimestamp":null},"data":{"empty":"","greeting":"héllo wörld ✓"}}""";

    private static IEnumerable<TestCaseData> KubectlBodies()
    {
        yield return new TestCaseData(ConfigMapResource.Definition, ConfigMapProtobuf, ConfigMapJson).SetName("KubectlCreateConfigMap_DecodesToKubectlJson");
        yield return new TestCaseData(ConfigMapResource.Definition, UnicodeConfigMapProtobuf, UnicodeConfigMapJson).SetName("KubectlCreateConfigMapWithUnicodeAndEmptyValue_DecodesToKubectlJson");
        yield return new TestCaseData(SecretResource.Definition, SecretProtobuf, SecretJson).SetName("KubectlCreateSecretGeneric_DecodesToKubectlJson");
        yield return new TestCaseData(SecretResource.Definition, DockerRegistrySecretProtobuf, DockerRegistrySecretJson).SetName("KubectlCreateSecretDockerRegistry_DecodesToKubectlJson");
        yield return new TestCaseData(NamespaceResource.Definition, NamespaceProtobuf, NamespaceJson).SetName("KubectlCreateNamespace_DecodesToKubectlJson");
        yield return new TestCaseData(ServiceAccountResource.Definition, ServiceAccountProtobuf, ServiceAccountJson).SetName("KubectlCreateServiceAccount_DecodesToKubectlJson");
    }

    [TestCaseSource(nameof(KubectlBodies))]
    public void KubectlBody_DecodesToKubectlJson(ResourceDefinition definition, string protobufHex, string json)
    {
        var expected = JsonNode.Parse(json)!.AsObject();
        var metadata = expected["metadata"]!.AsObject();
        Assert.That(metadata.ContainsKey("creationTimestamp") && metadata["creationTimestamp"] is null, Is.True);
        metadata.Remove("creationTimestamp");

        var decoded = ProtobufDecoder.Decode(Convert.FromHexString(protobufHex), definition.Protobuf!);

        Assert.That(JsonNode.DeepEquals(decoded, expected), Is.True, decoded.ToJsonString());
        Assert.That(decoded.ToJsonString(), Is.EqualTo(expected.ToJsonString()));
    }

    [Test]
    public void CoreDefinitions_HaveTheirProtobufMessage()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConfigMapResource.Definition.Protobuf, Is.SameAs(CoreV1Messages.ConfigMap));
            Assert.That(SecretResource.Definition.Protobuf, Is.SameAs(CoreV1Messages.Secret));
            Assert.That(NamespaceResource.Definition.Protobuf, Is.SameAs(CoreV1Messages.Namespace));
            Assert.That(ServiceAccountResource.Definition.Protobuf, Is.SameAs(CoreV1Messages.ServiceAccount));
            Assert.That(EventResource.Definition.Protobuf, Is.SameAs(CoreV1Messages.Event));
        });
    }

    [Test]
    public void Event_WithTimesSeriesAndReferences_DecodesToGoJson()
    {
        var involved = Message(String(1, "Pod"), String(2, "default"), String(3, "web"), String(4, "uid-1"), String(5, "v1"), String(7, "spec.containers{app}"));
        var ev = Message(
            Field(1, Message(String(1, "web.17"), String(3, "default"), Field(8, Message()))),
            Field(2, involved),
            String(3, "Pulled"),
            String(4, "Pulled image"),
            Field(5, Message(String(1, "kubelet"), String(2, "node-1"))),
            Field(6, Message(Varint(1, 1704164645))),
            Field(7, Message()),
            Varint(8, 3),
            String(9, "Normal"),
            Field(10, Message(Varint(1, 1704164645), Varint(2, 123_456_000))),
            Field(11, Message(Varint(1, 2), Field(2, Message(Varint(1, 1704164646))))),
            String(12, ""),
            String(14, "kubelet"));

        var decoded = ProtobufDecoder.Decode(Body("v1", "Event", ev), EventResource.Definition.Protobuf!);

        Assert.That(decoded.ToJsonString(), Is.EqualTo(Compact("""
            {
                "kind": "Event",
                "apiVersion": "v1",
                "metadata": {
                    "name": "web.17",
                    "namespace": "default"
                },
                "involvedObject": {
                    "kind": "Pod",
                    "namespace": "default",
                    "name": "web",
                    "uid": "uid-1",
                    "apiVersion": "v1",
                    "fieldPath": "spec.containers{app}"
                },
                "reason": "Pulled",
                "message": "Pulled image",
                "source": {
                    "component": "kubelet",
                    "host": "node-1"
                },
                "firstTimestamp": "2024-01-02T03:04:05Z",
                "count": 3,
                "type": "Normal",
                "eventTime": "2024-01-02T03:04:05.123456Z",
                "series": {
                    "count": 2,
                    "lastObservedTime": "2024-01-02T03:04:06.000000Z"
                },
                "reportingComponent": "kubelet",
                "reportingInstance": ""
            }
            """)));
    }

    [Test]
    public void Event_WithoutStructFields_GetsGoZeroValues()
    {
        var decoded = ProtobufDecoder.Decode(Body("v1", "Event", Message(String(4, "hi"))), CoreV1Messages.Event);

        Assert.That(decoded.ToJsonString(), Is.EqualTo(Compact("""
            {
                "kind": "Event",
                "apiVersion": "v1",
                "metadata": {},
                "involvedObject": {},
                "message": "hi",
                "source": {},
                "reportingComponent": "",
                "reportingInstance": ""
            }
            """)));
    }

    [Test]
    public void ServiceAccount_WithSecretsAndAutomountFalse_KeepsThem()
    {
        var sa = Message(
            Field(1, Message(String(1, "build"), Field(11, Message(String(1, "team"), String(2, "ci"))))),
            Field(2, Message(String(3, "build-token"))),
            Field(3, Message(String(1, "registry"))),
            Varint(4, 0));

        var decoded = ProtobufDecoder.Decode(Body("v1", "ServiceAccount", sa), CoreV1Messages.ServiceAccount);

        Assert.That(decoded.ToJsonString(), Is.EqualTo(Compact("""
            {
                "kind": "ServiceAccount",
                "apiVersion": "v1",
                "metadata": {
                    "name": "build",
                    "labels": {
                        "team": "ci"
                    }
                },
                "secrets": [
                    {
                        "name": "build-token"
                    }
                ],
                "imagePullSecrets": [
                    {
                        "name": "registry"
                    }
                ],
                "automountServiceAccountToken": false
            }
            """)));
    }

    [Test]
    public void Namespace_WithFinalizersAndConditions_Decodes()
    {
        var ns = Message(
            Field(1, Message(String(1, "team-a"))),
            Field(2, Message(String(1, "kubernetes"))),
            Field(3, Message(String(1, "Terminating"), Field(2, Message(String(1, "NamespaceDeletionContentFailure"), String(2, "False"), Field(4, Message(Varint(1, 1704164645))), String(5, "OK"))))));

        var decoded = ProtobufDecoder.Decode(Body("v1", "Namespace", ns), CoreV1Messages.Namespace);

        Assert.That(decoded.ToJsonString(), Is.EqualTo(Compact("""
            {
                "kind": "Namespace",
                "apiVersion": "v1",
                "metadata": {
                    "name": "team-a"
                },
                "spec": {
                    "finalizers": [
                        "kubernetes"
                    ]
                },
                "status": {
                    "phase": "Terminating",
                    "conditions": [
                        {
                            "type": "NamespaceDeletionContentFailure",
                            "status": "False",
                            "lastTransitionTime": "2024-01-02T03:04:05Z",
                            "reason": "OK"
                        }
                    ]
                }
            }
            """)));
    }

    [Test]
    public void ConfigMap_ImmutableAndBinaryData_AreKept()
    {
        var cm = Message(
            Field(1, Message(String(1, "bin"))),
            Field(3, Message(String(1, "blob"), Field(2, Message()))),
            Varint(4, 1));

        var decoded = ProtobufDecoder.Decode(Body("v1", "ConfigMap", cm), CoreV1Messages.ConfigMap);

        Assert.That(decoded.ToJsonString(), Is.EqualTo(Compact("""
            {
                "kind": "ConfigMap",
                "apiVersion": "v1",
                "metadata": {
                    "name": "bin"
                },
                "immutable": true,
                "binaryData": {
                    "blob": ""
                }
            }
            """)));
    }

    // The JSON as JsonNode writes it, so that expectations can be laid out readably (order is kept).
    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    // Minimal protobuf writing: a field is its encoded bytes.
    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] Field(int number, byte[] payload) => Encode(o =>
    {
        o.WriteTag(number, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(payload));
    });

    private static byte[] String(int number, string value) => Field(number, System.Text.Encoding.UTF8.GetBytes(value));

    private static byte[] Varint(int number, long value) => Encode(o =>
    {
        o.WriteTag(number, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    });

    private static byte[] Body(string apiVersion, string kind, byte[] raw) =>
        [.. "k8s\0"u8, .. Message(Field(1, Message(String(1, apiVersion), String(2, kind))), Field(2, raw), String(3, ""), String(4, ""))];

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(output);
        }
        return stream.ToArray();
    }
}
