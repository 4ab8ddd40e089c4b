using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Generic.Storage;
using Apiserver.Kube.Admission;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Kubelet;
using Apiserver.Kube.Registry.AdmissionRegistration;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Registry.Apps.ControllerRevisions;
using Apiserver.Kube.Registry.Apps.DaemonSets;
using Apiserver.Kube.Registry.Apps.Deployments;
using Apiserver.Kube.Registry.Apps.ReplicaSets;
using Apiserver.Kube.Registry.Apps.StatefulSets;
using Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;
using Apiserver.Kube.Registry.Batch.CronJobs;
using Apiserver.Kube.Registry.Batch.Jobs;
using Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;
using Apiserver.Kube.Registry.Core.ComponentStatuses;
using Apiserver.Kube.Registry.Core.ConfigMaps;
using Apiserver.Kube.Registry.Core.Events;
using Apiserver.Kube.Registry.Core.Namespaces;
using Apiserver.Kube.Registry.Core.Pods;
using Apiserver.Kube.Registry.Core.Nodes;
using Apiserver.Kube.Registry.Core.PersistentVolumes;
using Apiserver.Kube.Registry.Core.PersistentVolumeClaims;
using Apiserver.Kube.Registry.Core.Endpoints;
using Apiserver.Kube.Registry.Core.PodTemplates;
using Apiserver.Kube.Registry.Core.LimitRanges;
using Apiserver.Kube.Registry.Core.ResourceQuotas;
using Apiserver.Kube.Registry.Core.ReplicationControllers;
using Apiserver.Kube.Registry.Core.Secrets;
using Apiserver.Kube.Registry.Core.ServiceAccounts;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Apiserver.Kube.Registry.Coordination.Leases;
using Apiserver.Kube.Registry.Discovery.EndpointSlices;
using Apiserver.Kube.Registry.Flowcontrol;
using Apiserver.Kube.Registry.Networking.IngressClasses;
using Apiserver.Kube.Registry.Networking.IpAddresses;
using Apiserver.Kube.Registry.Networking.ServiceCidrs;
using Apiserver.Kube.Registry.Networking.Ingresses;
using Apiserver.Kube.Registry.Networking.NetworkPolicies;
using Apiserver.Kube.Registry.Node.RuntimeClasses;
using Apiserver.Kube.Registry.Policy.PodDisruptionBudgets;
using Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using Apiserver.Kube.Registry.Rbac.RoleBindings;
using Apiserver.Kube.Registry.Rbac.Roles;
using Apiserver.Kube.Registry.Scheduling.PriorityClasses;
using Apiserver.Kube.Registry.Storage.CsiDrivers;
using Apiserver.Kube.Registry.Storage.CsiNodes;
using Apiserver.Kube.Registry.Storage.CsiStorageCapacities;
using Apiserver.Kube.Registry.Storage.StorageClasses;
using Apiserver.Kube.Registry.Storage.VolumeAttachments;
using Apiserver.Kube.Registry.Storage.VolumeAttributesClasses;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube;

/// <summary>
/// The built-in Kubernetes APIs as a server of the chain: it installs the built-in groups on a
/// <see cref="GenericApiServer"/> and adds their bootstrap controllers as post-start hooks.
/// </summary>
public static class KubeApiServer
{
    /// <summary>The resources of core/v1 this server serves.</summary>
    public static IReadOnlyList<ResourceDefinition> CoreV1 { get; } =
    [
        NamespaceResource.Definition,
        ConfigMapResource.Definition,
        SecretResource.Definition,
        ServiceAccountResource.Definition,
        EventResource.Definition,
        PodResource.Definition,
        NodeResource.Definition,
        PersistentVolumeResource.Definition,
        PersistentVolumeClaimResource.Definition,
        EndpointsResource.Definition,
        PodTemplateResource.Definition,
        LimitRangeResource.Definition,
        ResourceQuotaResource.Definition,
        ReplicationControllerResource.Definition,
    ];

    /// <summary>The resources of apps/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> AppsV1 { get; } =
    [
        DeploymentResource.Definition,
        ReplicaSetResource.Definition,
        StatefulSetResource.Definition,
        DaemonSetResource.Definition,
        ControllerRevisionResource.Definition,
    ];

    /// <summary>The resources whose replica count is served as a <c>scale</c> subresource.</summary>
    private static IReadOnlyList<ResourceDefinition> Scalable { get; } =
        [DeploymentResource.Definition, ReplicaSetResource.Definition, StatefulSetResource.Definition];

    /// <summary>The resources of rbac.authorization.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> RbacV1 { get; } =
    [
        RoleResource.Definition,
        ClusterRoleResource.Definition,
        RoleBindingResource.Definition,
        ClusterRoleBindingResource.Definition,
    ];

    /// <summary>The resources of batch/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> BatchV1 { get; } = [JobResource.Definition, CronJobResource.Definition];

    /// <summary>The resources of policy/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> PolicyV1 { get; } = [PodDisruptionBudgetResource.Definition];

    /// <summary>The resources of networking.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> NetworkingV1 { get; } =
        [IngressResource.Definition, IngressClassResource.Definition, NetworkPolicyResource.Definition, IpAddressResource.Definition, ServiceCidrResource.Definition];

    /// <summary>The resources of discovery.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> DiscoveryV1 { get; } = [EndpointSliceResource.Definition];

    /// <summary>The resources of coordination.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> CoordinationV1 { get; } = [LeaseResource.Definition];

    /// <summary>The resources of scheduling.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> SchedulingV1 { get; } = [PriorityClassResource.Definition];

    /// <summary>The resources of node.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> NodeV1 { get; } = [RuntimeClassResource.Definition];

    /// <summary>The resources of storage.k8s.io/v1.</summary>
    public static IReadOnlyList<ResourceDefinition> StorageV1 { get; } =
    [
        StorageClassResource.Definition,
        CsiDriverResource.Definition,
        CsiNodeResource.Definition,
        CsiStorageCapacityResource.Definition,
        VolumeAttachmentResource.Definition,
        VolumeAttributesClassResource.Definition,
    ];

    /// <summary>The resources of admissionregistration.k8s.io/v1 (stored; calling webhooks is admission's business).</summary>
    public static IReadOnlyList<ResourceDefinition> AdmissionRegistrationV1 { get; } =
    [
        WebhookConfigurationResource.Mutating,
        ValidatingAdmissionPolicyResource.Definition,
        ValidatingAdmissionPolicyBindingResource.Definition,
        WebhookConfigurationResource.Validating,
    ];

    /// <summary>The resources of flowcontrol.apiserver.k8s.io/v1 (stored; flow control itself is not applied).</summary>
    public static IReadOnlyList<ResourceDefinition> FlowcontrolV1 { get; } = [FlowSchemaResource.Definition, PriorityLevelConfigurationResource.Definition];

    /// <summary>The built-in groups beyond core, each with its one (preferred) version v1.</summary>
    private static IReadOnlyList<(string Group, IReadOnlyList<ResourceDefinition> Resources)> GroupsV1 { get; } =
    [
        ("apps", AppsV1),
        ("batch", BatchV1),
        ("policy", PolicyV1),
        ("networking.k8s.io", NetworkingV1),
        ("discovery.k8s.io", DiscoveryV1),
        ("rbac.authorization.k8s.io", RbacV1),
        ("coordination.k8s.io", CoordinationV1),
        ("scheduling.k8s.io", SchedulingV1),
        ("node.k8s.io", NodeV1),
        ("storage.k8s.io", StorageV1),
        ("admissionregistration.k8s.io", AdmissionRegistrationV1),
        ("flowcontrol.apiserver.k8s.io", FlowcontrolV1),
    ];

    /// <summary>
    /// The admission plugins the built-in APIs rely on, in order, reading namespaces from
    /// <paramref name="storage"/>. Put them in the configuration before <c>Complete()</c> so that
    /// every server of the chain (custom resources too) runs them.
    /// </summary>
    public static IReadOnlyList<Generic.Admission.IAdmissionPlugin> DefaultAdmissionPlugins(StorageConfig storage) =>
        [new NamespaceLifecycle(NamespaceStore(storage))];

    /// <summary>
    /// Builds the server named <c>kube-apiserver</c> in front of <paramref name="next"/>; with
    /// <paramref name="serviceAccounts"/> it serves TokenRequest (<c>serviceaccounts/token</c>) and the
    /// service-account issuer discovery endpoints; services take their cluster IPs and node ports
    /// from <paramref name="serviceNetwork"/> (kube's defaults when null); with
    /// <paramref name="authenticationInfo"/> it publishes how it authenticates clients and proxies in
    /// <c>kube-system/extension-apiserver-authentication</c>, for aggregated API servers; logs, exec,
    /// attach, port-forward and the node proxy reach kubelets as <paramref name="kubelet"/> says (kube's
    /// defaults when null).
    /// </summary>
    public static GenericApiServer New(CompletedConfig config, IDelegationTarget next, ServiceAccounts.ServiceAccountTokenConfig? serviceAccounts = null,
        ServiceNetworkConfig? serviceNetwork = null, ClusterAuthenticationInfo? authenticationInfo = null, KubeletClientConfig? kubelet = null)
    {
        var storage = config.Storage ?? throw new ArgumentException("the kube-apiserver needs storage", nameof(config));
        if (serviceAccounts is not null && ServiceAccounts.OpenIdMetadataDelegate.Serves(serviceAccounts))
        {
            next = new ServiceAccounts.OpenIdMetadataDelegate(serviceAccounts, next);
        }
        var server = config.New("kube-apiserver", next);
        var stores = CoreV1.Select(d => new GenericStore(d, storage.Storage, storage.Prefix)).ToList();
        IRestStorage[] tokenRequests = serviceAccounts is { SigningKey: not null }
            ? [new Registry.Core.ServiceAccounts.TokenRequestStore(serviceAccounts, new ServiceAccounts.ServiceAccountObjects(storage))]
            : [];
        var network = serviceNetwork ?? new ServiceNetworkConfig();
        var allocators = new ServiceAllocators(network, storage.Storage, storage.Prefix);
        var services = new ServiceStore(new GenericStore(ServiceResource.Definition, storage.Storage, storage.Prefix), allocators);
        stores.Add(services.Store);
        var pods = stores.Single(s => s.Definition == PodResource.Definition);
        var binder = new PodBinder(pods);
        var kubelets = new KubeletConnections(stores.Single(s => s.Definition == NodeResource.Definition), kubelet ?? new KubeletClientConfig());
        var kubeletLocations = new PodKubeletLocations(pods, kubelets);
        IRestStorage[] podActions =
        [
            new PodLogStore(kubeletLocations),
            PodStreamStore.Exec(kubeletLocations),
            PodStreamStore.Attach(kubeletLocations),
            new PodPortForwardStore(kubeletLocations),
            new PodProxyStore(pods, kubelets),
            new NodeProxyStore(kubelets),
            new ServiceProxyStore(services.Store, stores.Single(s => s.Definition == EndpointsResource.Definition), pods, kubelets),
            new BindingStore(binder),
            new PodBindingStore(binder),
            new PodEvictionStore(pods, new GenericStore(PodDisruptionBudgetResource.Definition, storage.Storage, storage.Prefix)),
            new PodEphemeralContainersStore(pods),
            new PodResizeStore(pods),
        ];
        var componentStatuses = new ComponentStatusStore(ComponentStatusStore.KubeComponents(storage.Storage, ComponentProbeClient));
        server.InstallApiGroup(new ApiGroupInfo("", [("v1", [.. stores.Where(s => s != services.Store).SelectMany(WithSubresources), services, new StatusStore(services.Store), .. podActions, .. tokenRequests, componentStatuses])]));
        var groupStores = new List<GenericStore>();
        foreach (var (group, definitions) in GroupsV1)
        {
            var versionStores = definitions.Select(d => new GenericStore(d, storage.Storage, storage.Prefix)).ToList();
            server.InstallApiGroup(new ApiGroupInfo(group, [("v1", [.. versionStores.SelectMany(WithSubresources)])]));
            groupStores.AddRange(versionStores);
        }

        // events.k8s.io/v1 serves the core events' storage in its own shape.
        var coreEvents = stores.Single(s => s.Definition == EventResource.Definition);
        server.InstallApiGroup(new ApiGroupInfo("events.k8s.io", [("v1", [new VersionedStore(coreEvents, Registry.Events.EventsV1Resource.Version)])]));

        // autoscaling: one storage (v2) served as v2 (preferred) and v1.
        var hpa = new GenericStore(HorizontalPodAutoscalerResource.Definition, storage.Storage, storage.Prefix);
        var hpaV1 = new VersionedStore(hpa, HorizontalPodAutoscalerResource.V1);
        server.InstallApiGroup(new ApiGroupInfo("autoscaling", [("v2", [hpa, new StatusStore(hpa)]), ("v1", [hpaV1, new StatusStore(hpaV1)])]));
        groupStores.Add(hpa);

        var csrs = new CsrStore(new GenericStore(CertificateSigningRequestResource.Definition, storage.Storage, storage.Prefix));
        server.InstallApiGroup(new ApiGroupInfo("certificates.k8s.io",
            [("v1", [csrs, new SubresourceStore(csrs.Store, "approval", CsrConditions.ForApproval), new SubresourceStore(csrs.Store, "status", CsrConditions.ForStatus)])]));

        // The review APIs (no storage) ask the chain's authorizer.
        foreach (var reviews in Registry.Reviews.ReviewApis.Groups(config.Authorization.Authorizer, config.Authentication)) server.InstallApiGroup(reviews);

        var namespaces = stores.Single(s => s.Definition == NamespaceResource.Definition);
        // The built-in kinds' descriptions matter only to OpenAPI (kubectl explain): read them, in one
        // pass over the client package's documentation, when a document is first built.
        server.AddOpenApiPreparation(Schema.ModelSchemas.LoadDescriptions);

        server.AddPostStartHook("start-system-namespaces-controller", ct => SystemNamespaces.EnsureAsync(namespaces, ct));
        var deletion = new NamespaceDeletionController(
            namespaces,
            [.. stores.Concat(groupStores).Where(s => s.Names.Namespaced)],
            config.LoggerFactory.CreateLogger("Apiserver.Kube.NamespaceDeletion"));
        server.AddPostStartHook("start-namespace-deletion-controller", ct =>
        {
            // The hook starts the controller and returns; the controller runs until shutdown.
            _ = deletion.RunAsync(ct);
            return Task.CompletedTask;
        });
        var kubernetesService = new KubernetesServiceController(
            services,
            stores.Single(s => s.Definition == EndpointsResource.Definition),
            groupStores.Single(s => s.Definition == EndpointSliceResource.Definition),
            network,
            config.LoggerFactory.CreateLogger("Apiserver.Kube.BootstrapController"));
        var defaultServiceCidr = new DefaultServiceCidrController(
            groupStores.Single(s => s.Definition == ServiceCidrResource.Definition),
            network,
            config.LoggerFactory.CreateLogger("Apiserver.Kube.DefaultServiceCidr"));
        server.AddPostStartHook(DefaultServiceCidrController.HookName, ct => defaultServiceCidr.StartAsync(TimeSpan.FromSeconds(10), ct));
        // Cluster IPs come from ServiceCIDRs: what allocates or repairs them waits for the default one.
        server.AddPostStartHook(KubernetesServiceController.HookName, async ct =>
        {
            await defaultServiceCidr.Exists.WaitAsync(ct);
            await kubernetesService.StartAsync(TimeSpan.FromSeconds(10), ct);
        });
        var portRepair = new ServiceAllocationRepair(services, allocators, config.LoggerFactory.CreateLogger("Apiserver.Kube.ServiceAllocationRepair"));
        var ipRepair = new ClusterIpRepair(services, allocators.ClusterIps, config.LoggerFactory.CreateLogger("Apiserver.Kube.ClusterIpRepair"));
        server.AddPostStartHook(ServiceAllocationRepair.HookName, async ct =>
        {
            await portRepair.StartAsync(TimeSpan.FromMinutes(3), ct);
            await defaultServiceCidr.Exists.WaitAsync(ct);
            // kube's repair reacts to every change and deletes an orphan once past its 60 s grace; a pass
            // every 30 s deletes it within 90 s.
            await ipRepair.StartAsync(TimeSpan.FromSeconds(30), ct);
        });
        var apf = new PriorityAndFairnessConfigProducer(
            groupStores.Single(s => s.Definition == FlowSchemaResource.Definition),
            groupStores.Single(s => s.Definition == PriorityLevelConfigurationResource.Definition));
        server.AddPostStartHook(PriorityAndFairnessConfigProducer.HookName, apf.EnsureAsync);
        if (authenticationInfo is not null)
        {
            var trust = new ClusterAuthenticationTrustController(
                stores.Single(s => s.Definition == ConfigMapResource.Definition),
                namespaces,
                authenticationInfo,
                config.LoggerFactory.CreateLogger("Apiserver.Kube.ClusterAuthenticationTrust"));
            server.AddPostStartHook(ClusterAuthenticationTrustController.HookName, ct => trust.StartAsync(TimeSpan.FromMinutes(1), ct));
        }
        server.AddPostStartHook(Authorization.Bootstrap.BootstrapReconciler.HookName, new Authorization.Bootstrap.BootstrapReconciler(storage, config.LoggerFactory.CreateLogger("Apiserver.Kube.Bootstrap")).RunAsync);
        // A backend that can check itself names its check ("etcd", "sqlite"); any other is probed with a read.
        server.AddHealthCheck(new HealthCheck(StorageHealthCheck.NameOf(storage.Storage), ct => StorageHealthCheck.CheckAsync(storage.Storage, ct)));
        return server;
    }

    /// <summary>A resource's storage followed by its subresources' storage.</summary>
    private static IEnumerable<IRestStorage> WithSubresources(GenericStore store)
    {
        yield return store;
        if (store.Definition == PodResource.Definition)
        {
            yield return new PodStatusStore(store);
        }
        else if (store.Definition.StatusSubresource)
        {
            yield return new StatusStore(store);
        }
        if (Scalable.Contains(store.Definition))
        {
            yield return new ScaleStore(store);
        }
        if (store.Definition == ReplicationControllerResource.Definition)
        {
            yield return new ReplicationControllerScaleStore(store);
        }
        if (store.Definition == NamespaceResource.Definition)
        {
            yield return new NamespaceFinalizeStore(store);
        }
    }

    // The componentstatuses checks' client: kube probes the local scheduler and controller manager
    // over HTTPS without verifying their (usually self-signed) certificates, within 20 seconds.
    private static HttpClient ComponentProbeClient { get; } = new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    })
    { Timeout = TimeSpan.FromSeconds(20) };

    private static GenericStore NamespaceStore(StorageConfig storage) =>
        new(NamespaceResource.Definition, storage.Storage, storage.Prefix);
}
