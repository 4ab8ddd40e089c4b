using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NUnit.Framework;

namespace KubeApiserver.Tests.Client;

/// <summary>The official C# client (KubernetesClient) against the real server: CRUD, errors, selectors and watches.</summary>
[TestFixture]
public sealed class CSharpClientTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    private TestServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static CancellationTokenSource Timeout() => new(TestTimeout);

    private async Task<string> NewNamespaceAsync(CancellationToken cancellationToken)
    {
        var name = "cs-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>Runs <paramref name="call"/>, which must fail; returns the failure's code and Status body.</summary>
    private static async Task<(HttpStatusCode Code, JsonObject Status)> FailureOfAsync(Func<Task> call)
    {
        var e = Assert.ThrowsAsync<HttpOperationException>(async () => await call());
        Assert.That(e!.Response, Is.Not.Null);
        var body = JsonNode.Parse(e.Response.Content) as JsonObject;
        Assert.That(body, Is.Not.Null, e.Response.Content);
        return (e.Response.StatusCode, body!);
    }

    private static void AssertStatus((HttpStatusCode Code, JsonObject Status) failure, HttpStatusCode code, string reason)
    {
        Assert.Multiple(() =>
        {
            Assert.That(failure.Code, Is.EqualTo(code), failure.Status.ToJsonString());
            Assert.That(failure.Status["kind"]?.ToString(), Is.EqualTo("Status"));
            Assert.That(failure.Status["apiVersion"]?.ToString(), Is.EqualTo("v1"));
            Assert.That(failure.Status["status"]?.ToString(), Is.EqualTo("Failure"));
            Assert.That(failure.Status["reason"]?.ToString(), Is.EqualTo(reason));
            Assert.That(failure.Status["code"]?.GetValue<int>(), Is.EqualTo((int)code));
        });
    }

    [Test]
    public async Task Namespace_CreateReadListReplaceDelete()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var name = "cs-ns-" + Guid.NewGuid().ToString("N")[..8];

        var created = await _client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = "a" } } },
            cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(created.Metadata.Name, Is.EqualTo(name));
            Assert.That(created.Metadata.Uid, Is.Not.Empty);
            Assert.That(created.Metadata.ResourceVersion, Is.Not.Empty);
            Assert.That(created.Status?.Phase, Is.EqualTo("Active"));
            Assert.That(created.Spec?.Finalizers, Does.Contain("kubernetes"));
            Assert.That(created.Metadata.Labels, Does.ContainKey("kubernetes.io/metadata.name").WithValue(name));
            Assert.That(created.Metadata.Labels, Does.ContainKey("team").WithValue("a"));
        });

        var read = await _client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct);
        Assert.That(read.Metadata.Uid, Is.EqualTo(created.Metadata.Uid));

        var list = await _client.CoreV1.ListNamespaceAsync(cancellationToken: ct);
        Assert.That(list.Items.Select(n => n.Metadata.Name), Does.Contain(name).And.Contain("default"));

        read.Metadata.Labels["team"] = "b";
        var replaced = await _client.CoreV1.ReplaceNamespaceAsync(read, name, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Metadata.Labels["team"], Is.EqualTo("b"));
            Assert.That(long.Parse(replaced.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(created.Metadata.ResourceVersion)));
        });

        // Deleting a namespace answers with the namespace itself, now Terminating; the client's
        // V1Status carries it as an object view.
        var deleted = await _client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: ct);
        Assert.That(deleted.HasObject, Is.True);
        var terminating = deleted.ObjectView<V1Namespace>();
        Assert.Multiple(() =>
        {
            Assert.That(terminating.Metadata.Name, Is.EqualTo(name));
            Assert.That(terminating.Status?.Phase, Is.EqualTo("Terminating"));
            Assert.That(terminating.Metadata.DeletionTimestamp, Is.Not.Null);
        });

        // The namespace controller then removes the finalizer and the namespace goes.
        while (true)
        {
            try
            {
                await _client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                break;
            }
            await Task.Delay(100, ct);
        }
    }

    [Test]
    public async Task ConfigMap_CreateReadListReplaceDelete()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);

        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "app" }, Data = new Dictionary<string, string> { ["k"] = "v" } },
            ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("ConfigMap"));
            Assert.That(created.ApiVersion, Is.EqualTo("v1"));
            Assert.That(created.Metadata.NamespaceProperty, Is.EqualTo(ns));
            Assert.That(Guid.TryParse(created.Metadata.Uid, out _), Is.True);
            Assert.That(created.Metadata.CreationTimestamp, Is.Not.Null);
            Assert.That(created.Data["k"], Is.EqualTo("v"));
        });

        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("app", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(read.Metadata.ResourceVersion, Is.EqualTo(created.Metadata.ResourceVersion));
            Assert.That(read.Data["k"], Is.EqualTo("v"));
        });

        var list = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(list.Items.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "app" }));
            Assert.That(long.Parse(list.Metadata.ResourceVersion), Is.GreaterThanOrEqualTo(long.Parse(created.Metadata.ResourceVersion)));
        });

        read.Data["k"] = "v2";
        read.Data["extra"] = "x";
        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "app", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Data, Is.EquivalentTo(new Dictionary<string, string> { ["k"] = "v2", ["extra"] = "x" }));
            Assert.That(replaced.Metadata.Uid, Is.EqualTo(created.Metadata.Uid));
            Assert.That(long.Parse(replaced.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(created.Metadata.ResourceVersion)));
        });

        var status = await _client.CoreV1.DeleteNamespacedConfigMapAsync("app", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(status.Status, Is.EqualTo("Success"));
            Assert.That(status.Details?.Name, Is.EqualTo("app"));
            Assert.That(status.Details?.Kind, Is.EqualTo("configmaps"));
        });
        var after = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct);
        Assert.That(after.Items, Is.Empty);
    }

    [Test]
    public async Task Secret_StringDataIsFoldedIntoData()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);

        var created = await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "creds" },
                Data = new Dictionary<string, byte[]> { ["binary"] = [0, 1, 2, 255] },
                StringData = new Dictionary<string, string> { ["user"] = "admin", ["password"] = "s3cr3t!" },
            },
            ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(created.Type, Is.EqualTo("Opaque"));
            Assert.That(created.StringData, Is.Null);
            Assert.That(created.Data.Keys, Is.EquivalentTo(new[] { "binary", "user", "password" }));
            Assert.That(created.Data["binary"], Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
            Assert.That(Encoding.UTF8.GetString(created.Data["user"]), Is.EqualTo("admin"));
            Assert.That(Encoding.UTF8.GetString(created.Data["password"]), Is.EqualTo("s3cr3t!"));
        });

        var read = await _client.CoreV1.ReadNamespacedSecretAsync("creds", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(read.StringData, Is.Null);
            Assert.That(Encoding.UTF8.GetString(read.Data["user"]), Is.EqualTo("admin"));
        });

        // stringData on update overrides the same key in data.
        read.StringData = new Dictionary<string, string> { ["user"] = "root" };
        var replaced = await _client.CoreV1.ReplaceNamespacedSecretAsync(read, "creds", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(replaced.StringData, Is.Null);
            Assert.That(Encoding.UTF8.GetString(replaced.Data["user"]), Is.EqualTo("root"));
            Assert.That(Encoding.UTF8.GetString(replaced.Data["password"]), Is.EqualTo("s3cr3t!"));
        });

        var list = await _client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: ct);
        Assert.That(list.Items.Select(s => s.Metadata.Name), Is.EqualTo(new[] { "creds" }));

        var status = await _client.CoreV1.DeleteNamespacedSecretAsync("creds", ns, cancellationToken: ct);
        Assert.That(status.Status, Is.EqualTo("Success"));
        AssertStatus(await FailureOfAsync(() => _client.CoreV1.ReadNamespacedSecretAsync("creds", ns, cancellationToken: ct)), HttpStatusCode.NotFound, "NotFound");
    }

    [Test]
    public async Task ServiceAccount_CreateReadListReplaceDelete()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);

        var created = await _client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "robot" }, AutomountServiceAccountToken = false },
            ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("ServiceAccount"));
            Assert.That(created.AutomountServiceAccountToken, Is.False);
        });

        var read = await _client.CoreV1.ReadNamespacedServiceAccountAsync("robot", ns, cancellationToken: ct);
        read.Secrets = [new V1ObjectReference { Name = "robot-token" }];
        read.ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }];
        var replaced = await _client.CoreV1.ReplaceNamespacedServiceAccountAsync(read, "robot", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Secrets.Select(s => s.Name), Is.EqualTo(new[] { "robot-token" }));
            Assert.That(replaced.ImagePullSecrets.Select(s => s.Name), Is.EqualTo(new[] { "pull" }));
        });

        var list = await _client.CoreV1.ListNamespacedServiceAccountAsync(ns, cancellationToken: ct);
        Assert.That(list.Items.Select(s => s.Metadata.Name), Does.Contain("robot"));

        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("robot", ns, cancellationToken: ct);
        AssertStatus(await FailureOfAsync(() => _client.CoreV1.ReadNamespacedServiceAccountAsync("robot", ns, cancellationToken: ct)), HttpStatusCode.NotFound, "NotFound");
    }

    [Test]
    public async Task DeleteServiceAccount_ReturnsTheDeletedObject()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var created = await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "gone" } }, ns, cancellationToken: ct);
        var deleted = await _client.CoreV1.DeleteNamespacedServiceAccountAsync("gone", ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(deleted.Kind, Is.EqualTo("ServiceAccount"));
            Assert.That(deleted.Metadata?.Uid, Is.EqualTo(created.Metadata.Uid));
        });
    }

    [Test]
    public async Task Event_WithInvolvedObject_CreateReadListReplaceDelete()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var target = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "target" } }, ns, cancellationToken: ct);
        var now = DateTime.UtcNow;

        var created = await _client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "target.1" },
                InvolvedObject = new V1ObjectReference { Kind = "ConfigMap", ApiVersion = "v1", Name = "target", NamespaceProperty = ns, Uid = target.Metadata.Uid },
                Reason = "Created",
                Message = "the config map was created",
                Type = "Normal",
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = "tests" },
            },
            ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(created.Kind, Is.EqualTo("Event"));
            Assert.That(created.InvolvedObject.Kind, Is.EqualTo("ConfigMap"));
            Assert.That(created.InvolvedObject.Name, Is.EqualTo("target"));
            Assert.That(created.InvolvedObject.Uid, Is.EqualTo(target.Metadata.Uid));
            Assert.That(created.Reason, Is.EqualTo("Created"));
            Assert.That(created.Source.Component, Is.EqualTo("tests"));
            Assert.That(created.Count, Is.EqualTo(1));
        });
        await _client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "other.1" },
                InvolvedObject = new V1ObjectReference { Kind = "ConfigMap", Name = "other", NamespaceProperty = ns },
                Reason = "Other",
                Type = "Warning",
            },
            ns, cancellationToken: ct);

        var read = await _client.CoreV1.ReadNamespacedEventAsync("target.1", ns, cancellationToken: ct);
        read.Count = 2;
        read.LastTimestamp = now.AddSeconds(5);
        var replaced = await _client.CoreV1.ReplaceNamespacedEventAsync(read, "target.1", ns, cancellationToken: ct);
        Assert.That(replaced.Count, Is.EqualTo(2));

        var all = await _client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: ct);
        Assert.That(all.Items.Select(e => e.Metadata.Name), Is.EquivalentTo(new[] { "target.1", "other.1" }));
        var aboutTarget = await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=target", cancellationToken: ct);
        Assert.That(aboutTarget.Items.Select(e => e.Metadata.Name), Is.EqualTo(new[] { "target.1" }));
        var warnings = await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "type=Warning", cancellationToken: ct);
        Assert.That(warnings.Items.Select(e => e.Metadata.Name), Is.EqualTo(new[] { "other.1" }));

        var status = await _client.CoreV1.DeleteNamespacedEventAsync("target.1", ns, cancellationToken: ct);
        Assert.That(status.Status, Is.EqualTo("Success"));
        var left = await _client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: ct);
        Assert.That(left.Items.Select(e => e.Metadata.Name), Is.EqualTo(new[] { "other.1" }));
    }

    [Test]
    public async Task EventWithMismatchedInvolvedNamespace_Answers422()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "bad" },
                InvolvedObject = new V1ObjectReference { Kind = "ConfigMap", Name = "x", NamespaceProperty = "elsewhere" },
            },
            ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.UnprocessableEntity, "Invalid");
        Assert.That(failure.Status["details"]!["causes"]![0]!["field"]?.ToString(), Is.EqualTo("involvedObject.namespace"));
    }

    [Test]
    public async Task ListWithLabelSelector_ReturnsOnlyMatches()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        async Task CreateAsync(string name, Dictionary<string, string> labels) =>
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, ns, cancellationToken: ct);
        await CreateAsync("web-prod", new() { ["app"] = "web", ["env"] = "prod" });
        await CreateAsync("web-dev", new() { ["app"] = "web", ["env"] = "dev" });
        await CreateAsync("db-prod", new() { ["app"] = "db", ["env"] = "prod" });
        await CreateAsync("plain", new());

        async Task<string[]> NamesAsync(string selector) =>
            [.. (await _client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector, cancellationToken: ct)).Items.Select(c => c.Metadata.Name).Order()];

        var byApp = await NamesAsync("app=web");
        var byTwo = await NamesAsync("app==web,env=prod");
        var notEqual = await NamesAsync("app!=web");
        var sets = await NamesAsync("env in (dev, prod),app notin (db)");
        var exists = await NamesAsync("app");
        var notExists = await NamesAsync("!app");
        var none = await NamesAsync("app=nothing");
        Assert.Multiple(() =>
        {
            Assert.That(byApp, Is.EqualTo(new[] { "web-dev", "web-prod" }));
            Assert.That(byTwo, Is.EqualTo(new[] { "web-prod" }));
            Assert.That(notEqual, Is.EqualTo(new[] { "db-prod", "plain" }));
            Assert.That(sets, Is.EqualTo(new[] { "web-dev", "web-prod" }));
            Assert.That(exists, Is.EqualTo(new[] { "db-prod", "web-dev", "web-prod" }));
            Assert.That(notExists, Is.EqualTo(new[] { "plain" }));
            Assert.That(none, Is.Empty);
        });

        // Across namespaces too.
        var everywhere = await _client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "app=db", cancellationToken: ct);
        Assert.That(everywhere.Items.Where(c => c.Metadata.NamespaceProperty == ns).Select(c => c.Metadata.Name), Is.EqualTo(new[] { "db-prod" }));
    }

    [Test]
    public async Task MalformedLabelSelector_Answers400BadRequest()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "app in (web", cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Test]
    public async Task ReadMissing_Throws404NotFound()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("missing", ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.NotFound, "NotFound");
        Assert.Multiple(() =>
        {
            Assert.That(failure.Status["message"]?.ToString(), Is.EqualTo("configmaps \"missing\" not found"));
            Assert.That(failure.Status["details"]!["name"]?.ToString(), Is.EqualTo("missing"));
            Assert.That(failure.Status["details"]!["kind"]?.ToString(), Is.EqualTo("configmaps"));
        });

        var ns404 = await FailureOfAsync(() => _client.CoreV1.ReadNamespaceAsync("no-such-namespace-" + Guid.NewGuid().ToString("N")[..6], cancellationToken: ct));
        AssertStatus(ns404, HttpStatusCode.NotFound, "NotFound");
    }

    [Test]
    public async Task DeleteMissing_Throws404NotFound()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.DeleteNamespacedSecretAsync("missing", ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.NotFound, "NotFound");
        Assert.That(failure.Status["message"]?.ToString(), Is.EqualTo("secrets \"missing\" not found"));
    }

    [Test]
    public async Task CreateExisting_Throws409AlreadyExists()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dup" } };
        await _client.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.Conflict, "AlreadyExists");
        Assert.That(failure.Status["message"]?.ToString(), Is.EqualTo("configmaps \"dup\" already exists"));

        var nsFailure = await FailureOfAsync(() => _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct));
        AssertStatus(nsFailure, HttpStatusCode.Conflict, "AlreadyExists");
        Assert.That(nsFailure.Status["message"]?.ToString(), Is.EqualTo($"namespaces \"{ns}\" already exists"));
    }

    [Test]
    public async Task ReplaceWithStaleResourceVersion_Throws409Conflict()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cas" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns, cancellationToken: ct);
        var staleVersion = created.Metadata.ResourceVersion;

        created.Data["a"] = "2";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cas", ns, cancellationToken: ct);

        var stale = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cas", ResourceVersion = staleVersion }, Data = new Dictionary<string, string> { ["a"] = "3" } };
        var failure = await FailureOfAsync(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "cas", ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.Conflict, "Conflict");
        Assert.That(failure.Status["message"]?.ToString(), Is.EqualTo(
            "Operation cannot be fulfilled on configmaps \"cas\": the object has been modified; please apply your changes to the latest version and try again"));

        var now = await _client.CoreV1.ReadNamespacedConfigMapAsync("cas", ns, cancellationToken: ct);
        Assert.That(now.Data["a"], Is.EqualTo("2"));
    }

    [Test]
    public async Task CreateWithInvalidName_Throws422Invalid()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var failure = await FailureOfAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Not_Valid" } }, ns, cancellationToken: ct));
        AssertStatus(failure, HttpStatusCode.UnprocessableEntity, "Invalid");
        var cause = failure.Status["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(failure.Status["message"]?.ToString(), Does.StartWith("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\": "));
            Assert.That(failure.Status["details"]!["name"]?.ToString(), Is.EqualTo("Not_Valid"));
            Assert.That(failure.Status["details"]!["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(cause["reason"]?.ToString(), Is.EqualTo("FieldValueInvalid"));
            Assert.That(cause["field"]?.ToString(), Is.EqualTo("metadata.name"));
        });

        // A namespace name must be a DNS-1123 label (no dots).
        var nsFailure = await FailureOfAsync(() => _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "has.dots" } }, cancellationToken: ct));
        AssertStatus(nsFailure, HttpStatusCode.UnprocessableEntity, "Invalid");
        Assert.That(nsFailure.Status["message"]?.ToString(), Does.StartWith("Namespace \"has.dots\" is invalid: metadata.name: Invalid value: \"has.dots\": a lowercase RFC 1123 label"));
    }

    [Test]
    public async Task WatchWithCallbacks_SeesAddedModifiedDeletedInOrder()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var start = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct);

        var events = new List<(WatchEventType Type, V1ConfigMap Object)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = _client.CoreV1.WatchListNamespacedConfigMap(
            ns,
            resourceVersion: start.Metadata.ResourceVersion,
            onEvent: (type, item) =>
            {
                lock (events)
                {
                    events.Add((type, item));
                }
                if (type == WatchEventType.Deleted)
                {
                    done.TrySetResult();
                }
            },
            onError: e => done.TrySetException(e),
            onClosed: () => done.TrySetResult());

        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "w" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns, cancellationToken: ct);
        created.Data["a"] = "2";
        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "w", ns, cancellationToken: ct);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("w", ns, cancellationToken: ct);

        await done.Task.WaitAsync(ct);
        lock (events)
        {
            Assert.That(events, Has.Count.EqualTo(3));
        }
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted }));
            Assert.That(events.Select(e => e.Object.Metadata.Name), Is.All.EqualTo("w"));
            Assert.That(events[0].Object.Data["a"], Is.EqualTo("1"));
            Assert.That(events[1].Object.Data["a"], Is.EqualTo("2"));
            Assert.That(events[1].Object.Metadata.ResourceVersion, Is.EqualTo(replaced.Metadata.ResourceVersion));
            Assert.That(long.Parse(events[2].Object.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(replaced.Metadata.ResourceVersion)));
        });
    }

    [Test]
    public async Task WatchListAsync_FromAResourceVersion_ReplaysLaterChangesInOrder()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var start = await _client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: ct);

        // The changes happen before the watch starts; watching from the list's resourceVersion replays them.
        var created = await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "1" } }, ns, cancellationToken: ct);
        created.StringData = new Dictionary<string, string> { ["k"] = "2" };
        await _client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", ns, cancellationToken: ct);
        await _client.CoreV1.DeleteNamespacedSecretAsync("s", ns, cancellationToken: ct);

        var events = new List<(WatchEventType Type, V1Secret Object)>();
        await foreach (var (type, item) in _client.CoreV1.WatchListNamespacedSecretAsync(ns, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: ct))
        {
            events.Add((type, item));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted }));
            Assert.That(Encoding.UTF8.GetString(events[0].Object.Data["k"]), Is.EqualTo("1"));
            Assert.That(Encoding.UTF8.GetString(events[1].Object.Data["k"]), Is.EqualTo("2"));
        });
    }

    [Test]
    public async Task WatchWithLabelSelector_SeesOnlyMatchingObjects()
    {
        using var cts = Timeout();
        var ct = cts.Token;
        var ns = await NewNamespaceAsync(ct);
        var start = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct);

        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ignored", Labels = new Dictionary<string, string> { ["watch"] = "no" } } }, ns, cancellationToken: ct);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "seen", Labels = new Dictionary<string, string> { ["watch"] = "yes" } } }, ns, cancellationToken: ct);

        var names = new List<string>();
        await foreach (var (type, item) in _client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "watch=yes", resourceVersion: start.Metadata.ResourceVersion, cancellationToken: ct))
        {
            Assert.That(type, Is.EqualTo(WatchEventType.Added));
            names.Add(item.Metadata.Name);
            break;
        }
        Assert.That(names, Is.EqualTo(new[] { "seen" }));
    }
}

/// <summary>Data written through the C# client survives a restart of the server.</summary>
[TestFixture]
public sealed class CSharpClientRestartTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Restart_KeepsObjectsAndResourceVersions()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ct = cts.Token;
        var ns = "restart-" + Guid.NewGuid().ToString("N")[..8];
        V1ConfigMap map;
        V1Secret secret;
        string listVersion;
        using (var before = _server.CreateClient())
        {
            await before.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
            map = await before.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "kept", Labels = new Dictionary<string, string> { ["a"] = "b" } }, Data = new Dictionary<string, string> { ["k"] = "v" } },
                ns, cancellationToken: ct);
            secret = await before.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = "kept" }, StringData = new Dictionary<string, string> { ["p"] = "w" } }, ns, cancellationToken: ct);
            listVersion = (await before.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct)).Metadata.ResourceVersion;
        }

        await _server.RestartAsync().WaitAsync(ct);

        using var after = _server.CreateClient();
        var readMap = await after.CoreV1.ReadNamespacedConfigMapAsync("kept", ns, cancellationToken: ct);
        var readSecret = await after.CoreV1.ReadNamespacedSecretAsync("kept", ns, cancellationToken: ct);
        var readNs = await after.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct);
        Assert.Multiple(() =>
        {
            Assert.That(readMap.Metadata.Uid, Is.EqualTo(map.Metadata.Uid));
            Assert.That(readMap.Metadata.ResourceVersion, Is.EqualTo(map.Metadata.ResourceVersion));
            Assert.That(readMap.Metadata.Labels["a"], Is.EqualTo("b"));
            Assert.That(readMap.Data["k"], Is.EqualTo("v"));
            Assert.That(readSecret.Metadata.Uid, Is.EqualTo(secret.Metadata.Uid));
            Assert.That(Encoding.UTF8.GetString(readSecret.Data["p"]), Is.EqualTo("w"));
            Assert.That(readNs.Status?.Phase, Is.EqualTo("Active"));
        });

        // Resource versions keep growing across the restart, and writes work.
        readMap.Data["k"] = "v2";
        var replaced = await after.CoreV1.ReplaceNamespacedConfigMapAsync(readMap, "kept", ns, cancellationToken: ct);
        Assert.That(long.Parse(replaced.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(listVersion)));
        var list = await after.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "a=b", cancellationToken: ct);
        Assert.That(list.Items.Select(c => c.Data["k"]), Is.EqualTo(new[] { "v2" }));
    }
}
