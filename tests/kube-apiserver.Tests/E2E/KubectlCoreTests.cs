using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl against core/v1's workload kinds: run, get (kube's columns), field selectors, delete.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlCoreTests : KubectlFixture
{
    protected override Task OnStartedAsync() => Kubectl.OkAsync("create ns core-e2e");

    [Test]
    public async Task Run_CreatesAPodThatGetAndFieldSelectorsShow()
    {
        // kubectl 1.32 sends the pod as JSON (1.33+ as protobuf, which the server decodes too).
        Assert.That(await Kubectl.OkAsync("-n core-e2e run p --image=nginx"), Does.Contain("pod/p created"));
        var created = await Kubectl.OkAsync("-n core-e2e get pod p -o jsonpath={.metadata.labels.run}/{.spec.containers[0].name}/{.spec.containers[0].image}/{.spec.containers[0].imagePullPolicy}/{.spec.restartPolicy}/{.status.phase}");
        Assert.That(created, Is.EqualTo("p/p/nginx/Always/Always/Pending"));

        var table = await Kubectl.OkAsync("-n core-e2e get pods");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^p\s+0/1\s+Pending\s+0\s+\d+s\s*$"));
        });
        var wide = await Kubectl.OkAsync("-n core-e2e get pod p -o wide");
        Assert.Multiple(() =>
        {
            Assert.That(wide, Does.Match(@"(?m)^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$"));
            Assert.That(wide, Does.Match(@"(?m)^p\s+0/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>\s*$"));
        });
        Assert.That(await Kubectl.OkAsync("-n core-e2e get pods --field-selector status.phase=Pending -o name"), Is.EqualTo("pod/p\n"));
        Assert.That(await Kubectl.OkAsync("-n core-e2e get pods --field-selector status.phase=Running -o name"), Is.Empty);
        Assert.That(await Kubectl.OkAsync("-n core-e2e get pods --field-selector spec.nodeName= -o name"), Is.EqualTo("pod/p\n"));

        Assert.That(await Kubectl.OkAsync("-n core-e2e delete pod p"), Does.Contain("pod \"p\" deleted"));
        Assert.That(await Kubectl.OkAsync("-n core-e2e get pods -o name"), Is.Empty);
    }

    [Test]
    public async Task ApiResources_ListsTheCoreKinds()
    {
        var output = await Kubectl.OkAsync("api-resources --api-group=");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^pods\s+po\s+v1\s+true\s+Pod\s*$"));
            Assert.That(output, Does.Match(@"(?m)^nodes\s+no\s+v1\s+false\s+Node\s*$"));
            Assert.That(output, Does.Match(@"(?m)^persistentvolumes\s+pv\s+v1\s+false\s+PersistentVolume\s*$"));
            Assert.That(output, Does.Match(@"(?m)^persistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim\s*$"));
            Assert.That(output, Does.Match(@"(?m)^endpoints\s+ep\s+v1\s+true\s+Endpoints\s*$"));
            Assert.That(output, Does.Match(@"(?m)^podtemplates\s+v1\s+true\s+PodTemplate\s*$"));
            Assert.That(output, Does.Match(@"(?m)^limitranges\s+limits\s+v1\s+true\s+LimitRange\s*$"));
            Assert.That(output, Does.Match(@"(?m)^resourcequotas\s+quota\s+v1\s+true\s+ResourceQuota\s*$"));
            Assert.That(output, Does.Match(@"(?m)^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController\s*$"));
        });
    }

    [Test]
    public async Task Get_ShowsKubesColumnsForTheOtherKinds()
    {
        const string yaml = """
            apiVersion: v1
            kind: Node
            metadata:
              name: n1
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: pv1
            spec:
              capacity:
                storage: 1Gi
              accessModes: [ReadWriteOnce]
              hostPath:
                path: /data
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: c1
              namespace: core-e2e
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: e1
              namespace: core-e2e
            subsets:
            - addresses: [{ip: 10.0.0.1}]
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: l1
              namespace: core-e2e
            spec:
              limits:
              - type: Container
                max: {cpu: "1"}
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: q1
              namespace: core-e2e
            spec:
              hard: {pods: "10"}
            ---
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: r1
              namespace: core-e2e
            spec:
              replicas: 2
              template:
                metadata:
                  labels: {app: r1}
                spec:
                  containers: [{name: c, image: nginx}]
            """;
        await Kubectl.OkAsync("create -f -", yaml);
        var output = await Kubectl.OkAsync("-n core-e2e get nodes,pv,pvc,ep,limits,quota,rc");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s*$"));
            Assert.That(output, Does.Match(@"(?m)^node/n1\s+Unknown\s+<none>\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^persistentvolume/pv1\s+1Gi\s+RWO\s+Retain\s+Pending\s+<unset>\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^persistentvolumeclaim/c1\s+Pending\s+<unset>\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+ENDPOINTS\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^endpoints/e1\s+10\.0\.0\.1:80\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+CREATED AT\s*$"));
            Assert.That(output, Does.Match(@"(?m)^limitrange/l1\s+\d{4}-\d\d-\d\dT"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+AGE\s+REQUEST\s+LIMIT\s*$"));
            Assert.That(output, Does.Match(@"(?m)^resourcequota/q1\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^replicationcontroller/r1\s+2\s+0\s+0\s+\d+s\s*$"));
        });
        Assert.That(await Kubectl.OkAsync("-n core-e2e scale rc r1 --replicas=4"), Does.Contain("replicationcontroller/r1 scaled"));
        Assert.That(await Kubectl.OkAsync("-n core-e2e get rc r1 -o jsonpath={.spec.replicas}"), Is.EqualTo("4"));
    }
}
