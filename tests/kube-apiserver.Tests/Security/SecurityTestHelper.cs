using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>Creates namespaces, roles and bindings as the admin, and sends requests with identity headers, for the security tests.</summary>
internal sealed class SecurityTestHelper(TestServer server)
{
    public const string Rbac = "/apis/rbac.authorization.k8s.io/v1";

    /// <summary>A fresh namespace.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "ns-" + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync("/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        return name;
    }

    /// <summary>A ClusterRole named <paramref name="role"/> with <paramref name="rulesJson"/>, bound cluster-wide to user <paramref name="user"/>.</summary>
    public async Task GrantClusterAsync(string user, string role, string rulesJson)
    {
        await CreateAsync($"{Rbac}/clusterroles", $$$"""{"metadata":{"name":"{{{role}}}"},"rules":{{{rulesJson}}}}""");
        await CreateAsync($"{Rbac}/clusterrolebindings", $$$"""
            {"metadata":{"name":"{{{role}}}-{{{user}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{{role}}}"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"{{{user}}}"}]}
            """);
    }

    /// <summary>A Role in <paramref name="ns"/> with <paramref name="rulesJson"/>, bound there to the subject.</summary>
    public async Task GrantAsync(string ns, string subjectKind, string subject, string role, string rulesJson)
    {
        await CreateAsync($"{Rbac}/namespaces/{ns}/roles", $$$"""{"metadata":{"name":"{{{role}}}"},"rules":{{{rulesJson}}}}""");
        await CreateAsync($"{Rbac}/namespaces/{ns}/rolebindings", $$$"""
            {"metadata":{"name":"{{{role}}}-{{{subject}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"{{{role}}}"},
             "subjects":[{"kind":"{{{subjectKind}}}","apiGroup":"rbac.authorization.k8s.io","name":"{{{subject}}}"}]}
            """);
    }

    /// <summary>Creates an object as the admin, asserting 201.</summary>
    public async Task CreateAsync(string path, string json)
    {
        var created = await server.Http.SendAsync(HttpMethod.Post, path, json);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

    /// <summary>The path of SelfSubjectReview, which answers who the server takes the requester for.</summary>
    public const string WhoAmI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    /// <summary>
    /// Sends a request with extra headers (each added as given; HttpClient joins repeated names into
    /// one line); a POST carries a SelfSubjectReview.
    /// </summary>
    public static async Task<(HttpStatusCode Code, JsonObject Body)> SendWithHeadersAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? []);
    }

    /// <summary>
    /// Retries until <paramref name="attempt"/> returns a value: RBAC decisions follow writes by
    /// watch, so a grant takes effect a moment after it is stored.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not met within 10s");
            }
            await Task.Delay(50);
        }
    }
}
