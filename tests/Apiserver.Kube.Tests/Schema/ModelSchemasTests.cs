using Apiserver.Generic.Schema;
using Apiserver.Kube.Schema;
using k8s.Models;
using NJsonSchema;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Schema;

[TestFixture]
public sealed class ModelSchemasTests
{
    [Test]
    public void ConfigMap_HasKubeNamesTypesAndDescriptions()
    {
        var schema = ModelSchemas.For(typeof(V1ConfigMap));
        ModelSchemas.LoadDescriptions();
        Assert.Multiple(() =>
        {
            Assert.That(schema.Title, Is.EqualTo("io.k8s.api.core.v1.ConfigMap"));
            Assert.That(schema.Description, Does.StartWith("ConfigMap holds configuration data"));
            Assert.That(schema.Properties["data"].Type, Is.EqualTo(JsonObjectType.Object));
            Assert.That(schema.Properties["data"].AdditionalPropertiesSchema!.Type, Is.EqualTo(JsonObjectType.String));
            Assert.That(schema.Properties["binaryData"].AdditionalPropertiesSchema!.Format, Is.EqualTo("byte"));
            Assert.That(schema.Properties["immutable"].Type, Is.EqualTo(JsonObjectType.Boolean));
            Assert.That(schema.Properties["data"].Description, Does.StartWith("Data contains the configuration data"));
            Assert.That(schema.Properties["metadata"].Reference!.Title, Is.EqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
            Assert.That(schema.Get(KubernetesExtensions.GroupVersionKind), Is.Not.Null);
        });
    }

    [Test]
    public void SharedTypes_AreOneDefinition()
    {
        var configMap = ModelSchemas.For(typeof(V1ConfigMap));
        var secret = ModelSchemas.For(typeof(V1Secret));
        Assert.That(configMap.Properties["metadata"].Reference, Is.SameAs(secret.Properties["metadata"].Reference));
    }

    [Test]
    public void CoreEvent_IsNamedAsKubeNamesIt()
    {
        Assert.That(ModelSchemas.For(typeof(Corev1Event)).Title, Is.EqualTo("io.k8s.api.core.v1.Event"));
        Assert.That(ModelSchemas.For(typeof(V1Deployment)).Title, Is.EqualTo("io.k8s.api.apps.v1.Deployment"));
    }

    [Test]
    public void ListSemantics_AreOnTheirFields()
    {
        var pod = ModelSchemas.For(typeof(V1Pod));
        var spec = pod.Properties["spec"].Reference!;
        var containers = spec.Properties["containers"];
        Assert.Multiple(() =>
        {
            Assert.That(containers.Get(KubernetesExtensions.ListType), Is.EqualTo("map"));
            Assert.That(containers.Get(KubernetesExtensions.ListMapKeys), Is.EqualTo(new[] { "name" }));
            Assert.That(containers.Get(KubernetesExtensions.PatchMergeKey), Is.EqualTo("name"));
            var ports = containers.Item!.Properties["ports"];
            Assert.That(ports.Get(KubernetesExtensions.ListMapKeys), Is.EqualTo(new[] { "containerPort", "protocol" }));
            var meta = pod.Properties["metadata"].Reference!;
            Assert.That(meta.Properties["finalizers"].Get(KubernetesExtensions.ListType), Is.EqualTo("set"));
        });
    }

    [Test]
    public void IntOrStringAndQuantity_AcceptNumbersAndStrings()
    {
        var container = ModelSchemas.For(typeof(V1Pod)).Properties["spec"].Reference!.Properties["containers"].Item!;
        var limits = container.Properties["resources"].Reference!.Properties["limits"].AdditionalPropertiesSchema!;
        Assert.That(limits.Is(KubernetesExtensions.IntOrString), Is.True);
        Assert.That(limits.Format, Is.EqualTo("quantity"));
    }
}
