using System.Text.Json.Nodes;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Server;

[TestFixture]
public sealed class NotFoundDelegateTests
{
    private static async Task<(int Code, string? RetryAfter, JsonNode Body)> SendAsync(IDelegationTarget target)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await target.UnprotectedHandler(context);
        context.Response.Body.Position = 0;
        var body = JsonNode.Parse(context.Response.Body)!;
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter.FirstOrDefault(), body);
    }

    [Test]
    public async Task BeforeStartup_Answers503WithRetryAfter()
    {
        var (code, retryAfter, body) = await SendAsync(new NotFoundDelegate());
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(503));
            Assert.That(retryAfter, Is.EqualTo("1"));
            Assert.That(body["kind"]!.ToString(), Is.EqualTo("Status"));
            Assert.That(body["reason"]!.ToString(), Is.EqualTo("ServiceUnavailable"));
        });
    }

    [Test]
    public async Task AfterStartup_Answers404Status()
    {
        var notFound = new NotFoundDelegate();
        notFound.OnStarted();
        var (code, retryAfter, body) = await SendAsync(notFound);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(404));
            Assert.That(retryAfter, Is.Null);
            Assert.That(body["reason"]!.ToString(), Is.EqualTo("NotFound"));
            Assert.That(body["message"]!.ToString(), Is.EqualTo("the server could not find the requested resource"));
        });
    }

    [Test]
    public async Task ServerInFront_ForwardsStartupAndUnservedRequests()
    {
        var notFound = new NotFoundDelegate();
        var server = new ServerConfig().Complete().New("front", notFound);
        Assert.That((await SendAsync(server)).Code, Is.EqualTo(503));
        server.OnStarted();
        Assert.That((await SendAsync(server)).Code, Is.EqualTo(404));
    }
}
