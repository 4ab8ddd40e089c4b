using System.Text.Json.Nodes;
using Apiserver.Generic.OpenApi;
using Google.Protobuf;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.OpenApi;

/// <summary>The protobuf form of /openapi/v2, read back with a minimal reader of gnostic's OpenAPIv2.proto.</summary>
[TestFixture]
internal sealed class OpenApiV2ProtobufTests
{
    private static readonly JsonObject Doc = (JsonObject)JsonNode.Parse("""
    {
      "swagger": "2.0",
      "info": { "title": "Kubernetes", "version": "v1.32.0" },
      "paths": {
        "/api/v1/namespaces/{namespace}/configmaps": {
          "post": {
            "parameters": [ { "name": "fieldValidation", "in": "query", "type": "string" } ],
            "responses": { "201": { "description": "Created", "schema": { "$ref": "#/definitions/io.k8s.api.core.v1.ConfigMap" } } },
            "x-kubernetes-action": "post",
            "x-kubernetes-group-version-kind": { "group": "", "kind": "ConfigMap", "version": "v1" }
          }
        }
      },
      "definitions": {
        "io.k8s.api.core.v1.ConfigMap": {
          "type": "object",
          "required": ["data"],
          "properties": {
            "data": { "type": "object", "additionalProperties": { "type": "string" } },
            "list": { "type": "array", "items": { "type": "string" }, "x-kubernetes-list-type": "set" },
            "metadata": { "allOf": [ { "$ref": "#/definitions/meta" } ], "default": {} }
          },
          "x-kubernetes-group-version-kind": [ { "group": "", "kind": "ConfigMap", "version": "v1" } ]
        }
      }
    }
    """)!;

    // Field number → raw values (length-delimited as bytes, varints as longs), in order.
    private static List<(int Field, object Value)> Read(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var fields = new List<(int, object)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => (field, input.ReadBytes().ToByteArray()),
                WireFormat.WireType.Varint => (field, (object)input.ReadInt64()),
                WireFormat.WireType.Fixed64 => (field, input.ReadDouble()),
                _ => throw new InvalidOperationException($"wire type of field {field}"),
            });
        }
        return fields;
    }

    private static byte[] One(byte[] message, int field) => (byte[])Read(message).Single(f => f.Field == field).Value;

    private static string Text(byte[] message, int field) => System.Text.Encoding.UTF8.GetString(One(message, field));

    // A NamedX list's entry by name (name 1, value 2).
    private static byte[] Named(byte[] list, int field, string name) =>
        One(Read(list).Where(f => f.Field == field).Select(f => (byte[])f.Value).Single(e => Text(e, 1) == name), 2);

    [Test]
    public void Encode_WritesSwaggerInfoAndDefinitions()
    {
        var bytes = OpenApiV2Protobuf.Encode(Doc);
        Assert.That(Text(bytes, 1), Is.EqualTo("2.0"));
        Assert.That(Text(One(bytes, 2), 2), Is.EqualTo("v1.32.0"));

        var configMap = Named(One(bytes, 9), 1, "io.k8s.api.core.v1.ConfigMap");
        Assert.Multiple(() =>
        {
            Assert.That(Text(One(configMap, 22), 1), Is.EqualTo("object"));
            Assert.That(Text(configMap, 19), Is.EqualTo("data"));
            var data = Named(One(configMap, 25), 1, "data");
            Assert.That(Text(One(data, 22), 1), Is.EqualTo("object"));
            Assert.That(Text(One(One(One(data, 21), 1), 22), 1), Is.EqualTo("string"));
            var list = Named(One(configMap, 25), 1, "list");
            Assert.That(Text(One(One(One(list, 23), 1), 22), 1), Is.EqualTo("string"));
            Assert.That(Text(Named(list, 31, "x-kubernetes-list-type"), 2), Is.EqualTo("set\n"));
            Assert.That(Text(Named(One(configMap, 25), 1, "metadata"), 1), Is.EqualTo("#/definitions/meta"));
            Assert.That(Text(Named(configMap, 31, "x-kubernetes-group-version-kind"), 2),
                Is.EqualTo("- group: \"\"\n  kind: ConfigMap\n  version: v1\n"));
        });
    }

    [Test]
    public void Encode_WritesOperationsQueryParametersAndTheirGroupVersionKind()
    {
        var bytes = OpenApiV2Protobuf.Encode(Doc);
        var item = Named(One(bytes, 8), 2, "/api/v1/namespaces/{namespace}/configmaps");
        var post = One(item, 4);
        // ParametersItem.parameter → Parameter.non_body_parameter → query_parameter_sub_schema.
        var query = One(One(One(One(post, 8), 1), 2), 3);
        Assert.Multiple(() =>
        {
            Assert.That(Text(query, 4), Is.EqualTo("fieldValidation"));
            Assert.That(Text(query, 2), Is.EqualTo("query"));
            Assert.That(Text(query, 6), Is.EqualTo("string"));
            Assert.That(Text(Named(post, 13, "x-kubernetes-action"), 2), Is.EqualTo("post\n"));
            Assert.That(Text(Named(post, 13, "x-kubernetes-group-version-kind"), 2),
                Is.EqualTo("group: \"\"\nkind: ConfigMap\nversion: v1\n"));
            var created = One(Named(One(post, 9), 1, "201"), 1);
            Assert.That(Text(created, 1), Is.EqualTo("Created"));
            Assert.That(Text(One(One(created, 2), 1), 1), Is.EqualTo("#/definitions/io.k8s.api.core.v1.ConfigMap"));
        });
    }

    [Test]
    public void Cached_ReusesTheBytesWhileTheDocumentIsTheSame()
    {
        var first = OpenApiV2Protobuf.Cached(Doc);
        Assert.That(OpenApiV2Protobuf.Cached((JsonObject)Doc.DeepClone()), Is.SameAs(first));
    }

    [Test]
    public void Accepts_NamesBothSpellingsOfTheMediaType()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OpenApiV2Protobuf.Accepts("application/com.github.proto-openapi.spec.v2@v1.0+protobuf"), Is.True);
            Assert.That(OpenApiV2Protobuf.Accepts("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"), Is.True);
            Assert.That(OpenApiV2Protobuf.Accepts("application/json"), Is.False);
        });
    }
}
