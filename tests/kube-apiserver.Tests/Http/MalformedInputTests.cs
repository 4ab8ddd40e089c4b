using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// Every resource the server lists in discovery, sent bodies of the wrong shape: each answers a
/// client error (or accepts a harmless body), never a server error.
/// </summary>
[TestFixture]
public sealed class MalformedInputTests : ServerFixture
{
    private static readonly string[] Bodies =
    [
        "{}",
        "[]",
        "null",
        "\"text\"",
        """{"metadata":5}""",
        """{"metadata":{"name":5}}""",
        """{"metadata":{"name":"x","labels":[1,2]}}""",
        """{"metadata":{"name":"x","finalizers":{"a":1}}}""",
        """{"metadata":{"name":"x"},"spec":5}""",
        """{"metadata":{"name":"x"},"spec":[]}""",
        """{"metadata":{"name":"x"},"spec":{"template":5,"selector":"a","containers":{},"rules":"x","roleRef":[],"subjects":{}}}""",
        """{"metadata":{"name":"x"},"spec":{"template":{"spec":{"containers":[5,null,{"name":7}]}}},"data":{"k":{}},"rules":[5],"subjects":[null]}""",
        """{"metadata":{"name":"x"},"status":"nope","type":{},"immutable":"yes"}""",
    ];

    private static async Task<IReadOnlyList<(string Path, string Resource)>> CreatableCollectionsAsync(HttpClient http, string ns)
    {
        var groupVersions = new List<string> { "/api/v1" };
        var apis = (await http.SendAsync(HttpMethod.Get, "/apis")).Body;
        groupVersions.AddRange(apis["groups"]!.AsArray().SelectMany(g => g!["versions"]!.AsArray().Select(v => $"/apis/{v!["groupVersion"]}")));
        var result = new List<(string, string)>();
        foreach (var gv in groupVersions)
        {
            var list = (await http.SendAsync(HttpMethod.Get, gv)).Body;
            foreach (var r in list["resources"]!.AsArray().OfType<JsonObject>())
            {
                var name = r["name"]!.ToString();
                if (name.Contains('/') || !r["verbs"]!.AsArray().Any(v => v!.ToString() == "create"))
                {
                    continue;
                }
                var path = r["namespaced"]!.GetValue<bool>() ? $"{gv}/namespaces/{ns}/{name}" : $"{gv}/{name}";
                result.Add((path, name));
            }
        }
        return result;
    }

    [Test]
    public async Task MalformedBodies_NeverAnswer5xx()
    {
        var ns = await NewNamespaceAsync();
        var collections = await CreatableCollectionsAsync(Http, ns);
        Assert.That(collections, Has.Count.GreaterThan(10));
        var failures = new List<string>();
        foreach (var (path, resource) in collections)
        {
            foreach (var body in Bodies)
            {
                var (code, reply) = await Http.SendAsync(HttpMethod.Post, path, body);
                if ((int)code >= 500)
                {
                    failures.Add($"POST {path} {body} → {(int)code} {reply["message"]}");
                }
                // A body that was accepted is cleaned up, so the next ones meet no AlreadyExists.
                if (code == HttpStatusCode.Created && reply["metadata"]?["name"] is { } created)
                {
                    await Http.SendAsync(HttpMethod.Delete, $"{path}/{created}");
                }
            }
            var (putCode, putReply) = await Http.SendAsync(HttpMethod.Put, $"{path}/x", Bodies[^2]);
            if ((int)putCode >= 500)
            {
                failures.Add($"PUT {path}/x → {(int)putCode} {putReply["message"]}");
            }
            var (patchCode, patchReply) = await Http.SendAsync(HttpMethod.Patch, $"{path}/x", """{"spec":{"$patch":5}}""", "application/strategic-merge-patch+json");
            if ((int)patchCode >= 500)
            {
                failures.Add($"PATCH {path}/x → {(int)patchCode} {patchReply["message"]}");
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }
}
