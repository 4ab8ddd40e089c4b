namespace Apiserver.Kube.Schema;

/// <summary>
/// The <c>required</c> lists of kube-apiserver's OpenAPI for the built-in types served here, which
/// the typed models do not carry; published in <c>/openapi/v2</c> and <c>/v3</c> (kubectl explain
/// prints <c>-required-</c>) and checked after defaulting. Keyed by model type, fields in Go struct
/// order. A field kube's OpenAPI marks required but its validation accepts missing (PriorityClass
/// <c>value</c>, HTTPHeader <c>value</c>, a core Event's <c>involvedObject</c>, EndpointSlice
/// <c>endpoints</c>, ControllerRevision <c>revision</c>, label selector requirements outside
/// workloads) is left out, so that nothing kube accepts is refused.
/// </summary>
internal static class ModelRequiredFields
{
    public static readonly IReadOnlyDictionary<string, string[]> ByType = new Dictionary<string, string[]>
    {
        // meta
        ["V1OwnerReference"] = ["apiVersion", "kind", "name", "uid"],
        // core: pods and their templates
        ["V1PodSpec"] = ["containers"],
        ["V1Container"] = ["name"],
        ["V1EphemeralContainer"] = ["name"],
        ["V1ContainerPort"] = ["containerPort"],
        ["V1EnvVar"] = ["name"],
        ["V1VolumeMount"] = ["name", "mountPath"],
        ["V1VolumeDevice"] = ["name", "devicePath"],
        ["V1Volume"] = ["name"],
        ["V1KeyToPath"] = ["key", "path"],
        ["V1ConfigMapKeySelector"] = ["key"],
        ["V1SecretKeySelector"] = ["key"],
        ["V1ObjectFieldSelector"] = ["fieldPath"],
        ["V1ResourceFieldSelector"] = ["resource"],
        ["V1DownwardAPIVolumeFile"] = ["path"],
        ["V1HostPathVolumeSource"] = ["path"],
        ["V1PersistentVolumeClaimVolumeSource"] = ["claimName"],
        ["V1NFSVolumeSource"] = ["server", "path"],
        ["V1CSIVolumeSource"] = ["driver"],
        ["V1HostAlias"] = ["ip"],
        ["V1HTTPGetAction"] = ["port"],
        ["V1HTTPHeader"] = ["name"],
        ["V1TCPSocketAction"] = ["port"],
        ["V1GRPCAction"] = ["port"],
        ["V1NodeSelector"] = ["nodeSelectorTerms"],
        ["V1NodeSelectorRequirement"] = ["key", "operator"],
        ["V1PreferredSchedulingTerm"] = ["weight", "preference"],
        ["V1PodAffinityTerm"] = ["topologyKey"],
        ["V1WeightedPodAffinityTerm"] = ["weight", "podAffinityTerm"],
        ["V1TopologySpreadConstraint"] = ["maxSkew", "topologyKey", "whenUnsatisfiable"],
        // core: endpoints
        ["V1EndpointAddress"] = ["ip"],
        ["Corev1EndpointPort"] = ["port"],
        // apps and batch
        ["V1DeploymentSpec"] = ["selector", "template"],
        ["V1ReplicaSetSpec"] = ["selector"],
        ["V1StatefulSetSpec"] = ["selector", "template"],
        ["V1DaemonSetSpec"] = ["selector", "template"],
        ["V1JobSpec"] = ["template"],
        ["V1CronJobSpec"] = ["schedule", "jobTemplate"],
        ["V1PodFailurePolicy"] = ["rules"],
        ["V1PodFailurePolicyRule"] = ["action"],
        // discovery
        ["V1EndpointSlice"] = ["addressType"],
        ["V1Endpoint"] = ["addresses"],
        // rbac
        ["V1PolicyRule"] = ["verbs"],
        ["V1RoleBinding"] = ["roleRef"],
        ["V1ClusterRoleBinding"] = ["roleRef"],
        ["V1RoleRef"] = ["apiGroup", "kind", "name"],
        ["Rbacv1Subject"] = ["kind", "name"],
        // node and storage
        ["V1RuntimeClass"] = ["handler"],
        ["V1StorageClass"] = ["provisioner"],
        // networking
        ["V1HTTPIngressRuleValue"] = ["paths"],
        ["V1HTTPIngressPath"] = ["pathType", "backend"],
        ["V1IngressServiceBackend"] = ["name"],
        ["V1TypedLocalObjectReference"] = ["kind", "name"],
        // autoscaling (v1 is checked in its v2 form; its lists are published)
        ["V1HorizontalPodAutoscalerSpec"] = ["scaleTargetRef", "maxReplicas"],
        ["V1CrossVersionObjectReference"] = ["kind", "name"],
        ["V2HorizontalPodAutoscalerSpec"] = ["scaleTargetRef", "maxReplicas"],
        ["V2CrossVersionObjectReference"] = ["kind", "name"],
        ["V2MetricSpec"] = ["type"],
        ["V2MetricTarget"] = ["type"],
        ["V2MetricIdentifier"] = ["name"],
        ["V2ResourceMetricSource"] = ["name", "target"],
        ["V2ContainerResourceMetricSource"] = ["name", "target", "container"],
        ["V2PodsMetricSource"] = ["metric", "target"],
        ["V2ObjectMetricSource"] = ["describedObject", "target", "metric"],
        ["V2ExternalMetricSource"] = ["metric", "target"],
        ["V2HPAScalingPolicy"] = ["type", "value", "periodSeconds"],
        // events.k8s.io (checked on create by its own rules)
        ["Eventsv1Event"] = ["eventTime"],
    };
}
