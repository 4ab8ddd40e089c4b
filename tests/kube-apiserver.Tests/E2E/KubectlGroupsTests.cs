using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl against the rbac, coordination, scheduling, node and storage groups, networking's IP kinds and componentstatuses.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlGroupsTests : KubectlFixture
{

    [Test]
    public async Task ApiResources_ListsTheGroupsResources()
    {
        var output = await Kubectl.OkAsync("api-resources");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^roles\s+rbac\.authorization\.k8s\.io/v1\s+true\s+Role\s*$"));
            Assert.That(output, Does.Match(@"(?m)^clusterroles\s+rbac\.authorization\.k8s\.io/v1\s+false\s+ClusterRole\s*$"));
            Assert.That(output, Does.Match(@"(?m)^rolebindings\s+rbac\.authorization\.k8s\.io/v1\s+true\s+RoleBinding\s*$"));
            Assert.That(output, Does.Match(@"(?m)^clusterrolebindings\s+rbac\.authorization\.k8s\.io/v1\s+false\s+ClusterRoleBinding\s*$"));
            Assert.That(output, Does.Match(@"(?m)^leases\s+coordination\.k8s\.io/v1\s+true\s+Lease\s*$"));
            Assert.That(output, Does.Match(@"(?m)^priorityclasses\s+pc\s+scheduling\.k8s\.io/v1\s+false\s+PriorityClass\s*$"));
            Assert.That(output, Does.Match(@"(?m)^runtimeclasses\s+node\.k8s\.io/v1\s+false\s+RuntimeClass\s*$"));
            Assert.That(output, Does.Match(@"(?m)^storageclasses\s+sc\s+storage\.k8s\.io/v1\s+false\s+StorageClass\s*$"));
            Assert.That(output, Does.Match(@"(?m)^csidrivers\s+storage\.k8s\.io/v1\s+false\s+CSIDriver\s*$"));
            Assert.That(output, Does.Match(@"(?m)^csinodes\s+storage\.k8s\.io/v1\s+false\s+CSINode\s*$"));
            Assert.That(output, Does.Match(@"(?m)^csistoragecapacities\s+storage\.k8s\.io/v1\s+true\s+CSIStorageCapacity\s*$"));
            Assert.That(output, Does.Match(@"(?m)^volumeattachments\s+storage\.k8s\.io/v1\s+false\s+VolumeAttachment\s*$"));
            Assert.That(output, Does.Match(@"(?m)^volumeattributesclasses\s+vac\s+storage\.k8s\.io/v1\s+false\s+VolumeAttributesClass\s*$"));
            Assert.That(output, Does.Match(@"(?m)^ipaddresses\s+ip\s+networking\.k8s\.io/v1\s+false\s+IPAddress\s*$"));
            Assert.That(output, Does.Match(@"(?m)^servicecidrs\s+networking\.k8s\.io/v1\s+false\s+ServiceCIDR\s*$"));
            Assert.That(output, Does.Match(@"(?m)^componentstatuses\s+cs\s+v1\s+false\s+ComponentStatus\s*$"));
        });
    }

    [Test]
    public async Task Get_ShowsKubesColumnsForTheStorageAndNetworkingKinds()
    {
        await Kubectl.OkAsync("create -f -", """
            apiVersion: storage.k8s.io/v1
            kind: CSIDriver
            metadata:
              name: hostpath.csi.k8s.io
            spec:
              podInfoOnMount: true
              volumeLifecycleModes: [Persistent, Ephemeral]
            ---
            apiVersion: storage.k8s.io/v1
            kind: VolumeAttachment
            metadata:
              name: csi-e2e
            spec:
              attacher: hostpath.csi.k8s.io
              nodeName: node-1
              source:
                persistentVolumeName: pv-e2e
            ---
            apiVersion: networking.k8s.io/v1
            kind: IPAddress
            metadata:
              name: 10.96.7.7
            spec:
              parentRef:
                resource: services
                namespace: default
                name: web
            ---
            apiVersion: networking.k8s.io/v1
            kind: ServiceCIDR
            metadata:
              name: e2e-range
            spec:
              cidrs: [10.250.0.0/24]
            """);

        var output = await Kubectl.OkAsync("get csidrivers,volumeattachments,ipaddresses,servicecidrs,cs");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^NAME\s+ATTACHREQUIRED\s+PODINFOONMOUNT\s+STORAGECAPACITY\s+TOKENREQUESTS\s+REQUIRESREPUBLISH\s+MODES\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^csidriver\.storage\.k8s\.io/hostpath\.csi\.k8s\.io\s+true\s+true\s+false\s+<unset>\s+false\s+Persistent,Ephemeral\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+ATTACHER\s+PV\s+NODE\s+ATTACHED\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^volumeattachment\.storage\.k8s\.io/csi-e2e\s+hostpath\.csi\.k8s\.io\s+pv-e2e\s+node-1\s+false\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+PARENTREF\s*$"));
            Assert.That(output, Does.Match(@"(?m)^ipaddress\.networking\.k8s\.io/10\.96\.7\.7\s+services/default/web\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+CIDRS\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^servicecidr\.networking\.k8s\.io/e2e-range\s+10\.250\.0\.0/24\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+STATUS\s+MESSAGE\s+ERROR\s*$"));
            Assert.That(output, Does.Match(@"(?m)^componentstatus/etcd-0\s+Healthy\s+ok\s*$"));
            Assert.That(output, Does.Match(@"(?m)^componentstatus/scheduler\s+(Healthy|Unhealthy)\s"));
            Assert.That(output, Does.Match(@"(?m)^componentstatus/controller-manager\s+(Healthy|Unhealthy)\s"));
        });

        var (code, _, error) = await Kubectl.RunAsync("get cs etcd-0");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(error, Does.Contain("Warning: v1 ComponentStatus is deprecated in v1.19+"));
        });
        var (immutable, _, why) = await Kubectl.RunAsync("patch servicecidr e2e-range --type=merge -p '{\"spec\":{\"cidrs\":[\"10.251.0.0/24\"]}}'");
        Assert.Multiple(() =>
        {
            Assert.That(immutable, Is.Not.Zero);
            Assert.That(why, Does.Contain("spec.cidrs[0]: Invalid value: \"10.251.0.0/24\": field is immutable"));
        });
    }

    [Test]
    public async Task TypedCreates_MakeTheObjectsKubeWould()
    {
        await Kubectl.OkAsync("create ns rbac-e2e");
        Assert.Multiple(async () =>
        {
            // kubectl checks --resource against discovery: pods are not served yet, configmaps are.
            Assert.That(await Kubectl.OkAsync("-n rbac-e2e create role x --verb=get --resource=configmaps"), Does.Contain("role.rbac.authorization.k8s.io/x created"));
            Assert.That(await Kubectl.OkAsync("create clusterrole e2e-reader --verb=get,list --resource=leases.coordination.k8s.io"), Does.Contain("clusterrole.rbac.authorization.k8s.io/e2e-reader created"));
            Assert.That(await Kubectl.OkAsync("-n rbac-e2e create rolebinding rb --role=x --user=u"), Does.Contain("rolebinding.rbac.authorization.k8s.io/rb created"));
            Assert.That(await Kubectl.OkAsync("create clusterrolebinding e2e-crb --clusterrole=e2e-reader --serviceaccount=rbac-e2e:default"), Does.Contain("clusterrolebinding.rbac.authorization.k8s.io/e2e-crb created"));
            Assert.That(await Kubectl.OkAsync("create priorityclass e2e-high --value=1000 --description=important --preemption-policy=Never"), Does.Contain("priorityclass.scheduling.k8s.io/e2e-high created"));
        });
        Assert.Multiple(async () =>
        {
            Assert.That(await Kubectl.OkAsync("-n rbac-e2e get role x -o jsonpath={.rules[0].verbs[0]}/{.rules[0].resources[0]}"), Is.EqualTo("get/configmaps"));
            Assert.That(await Kubectl.OkAsync("get clusterrole e2e-reader -o jsonpath={.rules[0].apiGroups[0]}/{.rules[0].resources[0]}"), Is.EqualTo("coordination.k8s.io/leases"));
            Assert.That(await Kubectl.OkAsync("-n rbac-e2e get rolebinding rb -o jsonpath={.roleRef.kind}/{.roleRef.name}/{.subjects[0].kind}/{.subjects[0].name}"), Is.EqualTo("Role/x/User/u"));
            Assert.That(await Kubectl.OkAsync("get clusterrolebinding e2e-crb -o jsonpath={.subjects[0].namespace}/{.subjects[0].name}"), Is.EqualTo("rbac-e2e/default"));
            Assert.That(await Kubectl.OkAsync("get pc e2e-high -o jsonpath={.value}/{.preemptionPolicy}/{.description}"), Is.EqualTo("1000/Never/important"));
        });
        var (code, _, error) = await Kubectl.RunAsync("create priorityclass system-mine --value=1");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(error, Does.Contain("priority class names with 'system-' prefix are reserved for system use only"));
        });
    }

    [Test]
    public async Task Get_ShowsKubesColumns()
    {
        await Kubectl.OkAsync("create ns cols-e2e");
        await Kubectl.OkAsync("-n cols-e2e create role reader --verb=list --resource=secrets");
        await Kubectl.OkAsync("-n cols-e2e create rolebinding reader --clusterrole=view --group=devs");
        await Kubectl.OkAsync("-n cols-e2e create -f -", """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: leader
            spec:
              holderIdentity: pod-a
              leaseDurationSeconds: 15
            """);
        await Kubectl.OkAsync("create -f -", """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: cols-sc
            provisioner: kubernetes.io/no-provisioner
            volumeBindingMode: WaitForFirstConsumer
            """);
        await Kubectl.OkAsync("create priorityclass cols-pc --value=42");

        var namespaced = await Kubectl.OkAsync("-n cols-e2e get role,rolebinding,lease");
        var cluster = await Kubectl.OkAsync("get storageclass cols-sc");
        var priority = await Kubectl.OkAsync("get priorityclass cols-pc");
        Assert.Multiple(() =>
        {
            Assert.That(namespaced, Does.Match(@"(?m)^NAME\s+CREATED AT\s*$"));
            Assert.That(namespaced, Does.Match(@"(?m)^role\.rbac\.authorization\.k8s\.io/reader\s+\d{4}-\d\d-\d\dT"));
            Assert.That(namespaced, Does.Match(@"(?m)^NAME\s+ROLE\s+AGE\s*$"));
            Assert.That(namespaced, Does.Match(@"(?m)^rolebinding\.rbac\.authorization\.k8s\.io/reader\s+ClusterRole/view\s+\d+s"));
            Assert.That(namespaced, Does.Match(@"(?m)^NAME\s+HOLDER\s+AGE\s*$"));
            Assert.That(namespaced, Does.Match(@"(?m)^lease\.coordination\.k8s\.io/leader\s+pod-a\s+\d+s"));
            Assert.That(cluster, Does.Match(@"(?m)^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\s*$"));
            Assert.That(cluster, Does.Match(@"(?m)^cols-sc\s+kubernetes\.io/no-provisioner\s+Delete\s+WaitForFirstConsumer\s+false\s+\d+s"));
            Assert.That(priority, Does.Match(@"(?m)^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY\s*$"));
            Assert.That(priority, Does.Match(@"(?m)^cols-pc\s+42\s+false\s+\d+s\s+PreemptLowerPriority\s*$"));
        });
        var wide = await Kubectl.OkAsync("-n cols-e2e get rolebinding reader -o wide");
        Assert.That(wide, Does.Match(@"(?m)^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\s*$"));
        Assert.That(wide, Does.Match(@"(?m)^reader\s+ClusterRole/view\s+\d+s\s+devs\s*$"));
    }

    [Test]
    public async Task Apply_CreatesAStorageClassWithKubesDefaults()
    {
        const string yaml = """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: applied-sc
              annotations:
                storageclass.kubernetes.io/is-default-class: "true"
            provisioner: ebs.csi.aws.com
            parameters:
              type: gp3
            allowVolumeExpansion: true
            """;
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml), Does.Contain("storageclass.storage.k8s.io/applied-sc created"));
        Assert.That(await Kubectl.OkAsync("get sc applied-sc -o jsonpath={.reclaimPolicy}/{.volumeBindingMode}/{.parameters.type}"), Is.EqualTo("Delete/Immediate/gp3"));
        Assert.That(await Kubectl.OkAsync("get sc applied-sc"), Does.Match(@"(?m)^applied-sc \(default\)\s+ebs\.csi\.aws\.com\s+Delete\s+Immediate\s+true\s+"));
    }
}
