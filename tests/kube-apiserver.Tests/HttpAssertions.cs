using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests;

/// <summary>Small helpers for driving the server over plain HTTP.</summary>
internal static class HttpAssertions
{
    public static async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(this HttpClient http, HttpMethod method, string path, string? json = null, string contentType = "application/json", Version? version = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (version is not null)
        {
            request.Version = version;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? (JsonObject)JsonNode.Parse(text)! : new JsonObject { ["text"] = text };
        return (response.StatusCode, body);
    }

    /// <summary>Reads <paramref name="path"/> as a <c>meta.k8s.io/v1 Table</c> (what kubectl asks for), asserting a 200.</summary>
    public static async Task<JsonObject> GetTableAsync(this HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The column names of a Table.</summary>
    public static string[] TableColumns(this JsonObject table) => [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString())];

    /// <summary>The cells of a Table's only row, as strings.</summary>
    public static string[] SingleRowCells(this JsonObject table) => [.. table["rows"]!.AsArray().Single()!["cells"]!.AsArray().Select(c => c?.ToString() ?? "")];

    /// <summary>Asserts a <c>metav1.Status</c> failure with the given code and reason; returns it.</summary>
    public static JsonObject AssertStatus(this (HttpStatusCode Code, JsonObject Body) response, int code, string reason)
    {
        Assert.Multiple(() =>
        {
            Assert.That((int)response.Code, Is.EqualTo(code), response.Body.ToJsonString());
            Assert.That(response.Body["kind"]?.ToString(), Is.EqualTo("Status"));
            Assert.That(response.Body["apiVersion"]?.ToString(), Is.EqualTo("v1"));
            Assert.That(response.Body["status"]?.ToString(), Is.EqualTo("Failure"));
            Assert.That(response.Body["reason"]?.ToString(), Is.EqualTo(reason));
            Assert.That(response.Body["code"]?.GetValue<int>(), Is.EqualTo(code));
        });
        return response.Body;
    }
}
