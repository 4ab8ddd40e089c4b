using Apiserver.Tests.Shared;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl, unmodified, against the server over its generated kubeconfig, on each backend.</summary>
[TestFixture("sqlite")]
[TestFixture("etcd", Category = "Etcd")]
[Category("E2E")]
public sealed class KubectlTests(string backend)
{
    private EtcdCluster? _etcd;
    private TestServer _server = null!;
    private Kubectl _kubectl = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (backend == "etcd")
        {
            _etcd = await EtcdCluster.StartAsync();
        }
        _server = await TestServer.StartAsync(etcdServers: _etcd?.ClientUrls);
        _kubectl = new Kubectl(_server.KubeconfigPath);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }

    [Test]
    public async Task ApiResources_ListsTheCoreResources()
    {
        var output = await _kubectl.OkAsync("api-resources");
        Assert.That(output, Does.Match(@"configmaps\s+cm\s+v1\s+true\s+ConfigMap"));
        Assert.That(output, Does.Match(@"namespaces\s+ns\s+v1\s+false\s+Namespace"));
    }

    [Test]
    public async Task Lifecycle_CreateGetReplaceWatchDeleteAndRestart()
    {
        var namespaces = await _kubectl.OkAsync("get ns");
        Assert.That(namespaces, Does.Match(@"(?m)^NAME\s+STATUS\s+AGE"));
        Assert.That(namespaces, Does.Match(@"(?m)^kube-system\s+Active"));

        Assert.That(await _kubectl.OkAsync("create ns e2e"), Does.Contain("namespace/e2e created"));
        Assert.That(await _kubectl.OkAsync("-n e2e create configmap app --from-literal=k=v1"), Does.Contain("configmap/app created"));
        Assert.That(await _kubectl.OkAsync("-n e2e create secret generic creds --from-literal=password=s3cret"), Does.Contain("secret/creds created"));

        var table = await _kubectl.OkAsync("-n e2e get configmaps,secrets");
        Assert.That(table, Does.Match(@"(?m)^NAME\s+DATA\s+AGE"));
        Assert.That(table, Does.Match(@"(?m)^configmap/app\s+1\s+"));
        Assert.That(table, Does.Match(@"(?m)^NAME\s+TYPE\s+DATA\s+AGE"));
        Assert.That(table, Does.Match(@"(?m)^secret/creds\s+Opaque\s+1\s+"));

        var yaml = await _kubectl.OkAsync("-n e2e get configmap app -o yaml");
        Assert.That(yaml, Does.Contain("k: v1"));
        Assert.That(yaml, Does.Match("resourceVersion: \"[0-9]+\""));

        var replaced = await _kubectl.OkAsync("replace -f -", yaml.Replace("k: v1", "k: v2"));
        Assert.That(replaced, Does.Contain("configmap/app replaced"));
        Assert.That(await _kubectl.OkAsync("-n e2e get configmap app -o jsonpath={.data.k}"), Is.EqualTo("v2"));

        // get -w prints the current value, then each change.
        using (var watch = _kubectl.Start("-n e2e get configmap app -w -o jsonpath={.data.k}{\"\\n\"}"))
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                Assert.That(await watch.StandardOutput.ReadLineAsync(timeout.Token), Is.EqualTo("v2"));
                await _kubectl.OkAsync("-n e2e patch configmap app --type=merge -p {\"data\":{\"k\":\"v3\"}}");
                Assert.That(await watch.StandardOutput.ReadLineAsync(timeout.Token), Is.EqualTo("v3"));
            }
            finally
            {
                watch.Kill(entireProcessTree: true);
            }
        }

        Assert.That(await _kubectl.OkAsync("-n e2e delete configmap app"), Does.Contain("configmap \"app\" deleted"));
        var missing = await _kubectl.RunAsync("-n e2e get configmap app");
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.Error, Does.Contain("configmaps \"app\" not found"));

        await _server.RestartAsync();
        var password = await _kubectl.OkAsync("-n e2e get secret creds -o jsonpath={.data.password}");
        Assert.That(password, Is.EqualTo(Convert.ToBase64String("s3cret"u8.ToArray())));

        Assert.That(await _kubectl.OkAsync("delete ns e2e"), Does.Contain("namespace \"e2e\" deleted"));
        var gone = await _kubectl.RunAsync("get ns e2e");
        Assert.That(gone.Error, Does.Contain("namespaces \"e2e\" not found"));
    }

    [Test]
    public async Task Errors_AreReportedAsKubectlReportsKubeApiserverErrors()
    {
        var exists = await _kubectl.RunAsync("create ns default");
        Assert.That(exists.Error, Does.Contain("Error from server (AlreadyExists): namespaces \"default\" already exists"));
        var invalid = await _kubectl.RunAsync("create ns Bad_Name");
        Assert.That(invalid.ExitCode, Is.Not.Zero);
        Assert.That(invalid.Error, Does.Contain("Bad_Name"));
        var unknown = await _kubectl.RunAsync("get widgets");
        Assert.That(unknown.Error, Does.Contain("the server doesn't have a resource type \"widgets\""));
    }

    [Test]
    public async Task ListingOptions_ChunksSelectorsAndWatchEvents()
    {
        await _kubectl.OkAsync("create ns e2e-list");
        for (var i = 0; i < 5; i++)
        {
            await _kubectl.OkAsync($"-n e2e-list create configmap cm-{i} --from-literal=i={i}");
        }
        await _kubectl.OkAsync("-n e2e-list label configmap cm-1 cm-3 team=blue");

        var chunked = await _kubectl.OkAsync("-n e2e-list get configmaps --chunk-size=2 -o name");
        Assert.That(chunked.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"configmap/cm-{i}")));
        Assert.That(await _kubectl.OkAsync("-n e2e-list get configmaps -l team=blue -o name"), Is.EqualTo("configmap/cm-1\nconfigmap/cm-3\n"));
        Assert.That(await _kubectl.OkAsync("-n e2e-list get configmaps --field-selector metadata.name=cm-4 -o name"), Is.EqualTo("configmap/cm-4\n"));

        var yaml = await _kubectl.OkAsync("-n e2e-list get configmap cm-2 -o yaml");
        var recreated = yaml.Replace("name: cm-2", "name: cm-2-copy");
        recreated = System.Text.RegularExpressions.Regex.Replace(recreated, "(?m)^  (resourceVersion|uid|creationTimestamp):.*\n", "");
        Assert.That(await _kubectl.OkAsync("create -f -", recreated), Does.Contain("configmap/cm-2-copy created"));

        using (var watch = _kubectl.Start("-n e2e-list get configmaps -w --output-watch-events -l team=blue"))
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var lines = new List<string>();
                while (lines.Count < 3)
                {
                    lines.Add((await watch.StandardOutput.ReadLineAsync(timeout.Token))!);
                }
                Assert.That(lines[0], Does.Match(@"^EVENT\s+NAME\s+DATA\s+AGE"));
                Assert.That(lines[1], Does.Match(@"^ADDED\s+cm-1\s+1"));
                await _kubectl.OkAsync("-n e2e-list delete configmap cm-3");
                while (!lines.Any(l => l.StartsWith("DELETED", StringComparison.Ordinal)))
                {
                    lines.Add((await watch.StandardOutput.ReadLineAsync(timeout.Token))!);
                }
                Assert.That(lines.Last(), Does.Match(@"^DELETED\s+cm-3"));
            }
            finally
            {
                watch.Kill(entireProcessTree: true);
            }
        }

        // delete --wait returns once the namespace and its content are gone.
        Assert.That(await _kubectl.OkAsync("delete ns e2e-list --wait=true"), Does.Contain("namespace \"e2e-list\" deleted"));
        Assert.That((await _kubectl.RunAsync("get ns e2e-list")).ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task Explain_PrintsTheFieldDocumentation()
    {
        var output = await _kubectl.OkAsync("explain configmap.data");
        Assert.That(output, Does.Contain("FIELD: data <map[string]string>"));
        Assert.That(output, Does.Contain("Data contains the configuration data"));
        var ns = await _kubectl.OkAsync("explain namespace.spec");
        Assert.That(ns, Does.Contain("finalizers\t<[]string>"));
    }

    [Test]
    public async Task CreateFromYaml_ReadsYaml11ScalarsAsKubernetesDoes()
    {
        await _kubectl.OkAsync("create ns e2e-yaml");
        // yes is a boolean where the field is one; a quoted 0644 stays a string.
        const string good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scalars\n  namespace: e2e-yaml\nimmutable: yes\ndata:\n  mode: \"0644\"\n  flag: \"on\"\n";
        Assert.That(await _kubectl.OkAsync("create -f -", good), Does.Contain("configmap/scalars created"));
        Assert.That(await _kubectl.OkAsync("-n e2e-yaml get configmap scalars -o jsonpath={.immutable}/{.data.mode}/{.data.flag}"), Is.EqualTo("true/0644/on"));
        // An unquoted 8080 is a number, which a ConfigMap's string data refuses.
        const string bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: numbers\n  namespace: e2e-yaml\ndata:\n  port: 8080\n";
        var refused = await _kubectl.RunAsync("create -f -", bad);
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.Error, Does.Contain("BadRequest").Or.Contain("cannot"));
    }
}
