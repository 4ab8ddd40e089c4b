using System.Diagnostics;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The official Python client (Debian's python3-kubernetes) against the server, with the generated kubeconfig.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class PythonClientTests : KubectlFixture
{
    private const string Script = """
        import sys
        from kubernetes import client, config, watch
        from kubernetes.client.rest import ApiException

        config.load_kube_config(config_file=sys.argv[1])
        core = client.CoreV1Api()
        apps = client.AppsV1Api()

        names = [n.metadata.name for n in core.list_namespace().items]
        assert "kube-system" in names, names
        core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
        cm = core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "py"}), data={"a": "1"}))
        assert cm.metadata.resource_version, cm
        read = core.read_namespaced_config_map("cfg", "py")
        assert read.data == {"a": "1"}, read.data
        patched = core.patch_namespaced_config_map("cfg", "py", {"data": {"b": "2"}})
        assert patched.data == {"a": "1", "b": "2"}, patched.data
        listed = core.list_namespaced_config_map("py", label_selector="app=py")
        assert [i.metadata.name for i in listed.items] == ["cfg"]

        seen = []
        w = watch.Watch()
        for event in w.stream(core.list_namespaced_config_map, "py", resource_version=cm.metadata.resource_version, timeout_seconds=10):
            seen.append((event["type"], event["object"].metadata.name))
            if len(seen) == 1:
                core.delete_namespaced_config_map("cfg", "py")
            if event["type"] == "DELETED":
                w.stop()
        assert ("DELETED", "cfg") in seen, seen

        try:
            core.read_namespaced_config_map("cfg", "py")
            raise AssertionError("expected 404")
        except ApiException as e:
            assert e.status == 404, e.status

        deployment = client.V1Deployment(
            metadata=client.V1ObjectMeta(name="web"),
            spec=client.V1DeploymentSpec(
                replicas=2,
                selector=client.V1LabelSelector(match_labels={"app": "web"}),
                template=client.V1PodTemplateSpec(
                    metadata=client.V1ObjectMeta(labels={"app": "web"}),
                    spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx:1.27")]))))
        created = apps.create_namespaced_deployment("py", deployment)
        assert created.spec.strategy.type == "RollingUpdate", created.spec.strategy
        scale = apps.read_namespaced_deployment_scale("web", "py")
        assert scale.spec.replicas == 2, scale
        print("ok")
        """;

    [Test]
    public async Task OfficialPythonClient_WorksUnmodified()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            Assert.Fail("/usr/bin/python3 is missing (tests/run.sh installs python3-kubernetes)");
        }
        var script = Path.Combine(Server.DataDir, "client_test.py");
        await File.WriteAllTextAsync(script, Script);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Server.KubeconfigPath);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, await error);
        Assert.That((await output).Trim(), Is.EqualTo("ok"));
    }
}
