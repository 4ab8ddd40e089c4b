using Apiserver.Generic.Endpoints;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Endpoints;

/// <summary>
/// <see cref="RequestInfoResolver"/> against kube-apiserver's <c>RequestInfoFactory.NewRequestInfo</c>
/// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
/// </summary>
[TestFixture]
public sealed class RequestInfoResolverTests
{
    private static void AssertInfo(RequestInfo info, string verb, string group, string version, string ns, string resource, string name, string subresource = "")
    {
        Assert.Multiple(() =>
        {
            Assert.That(info.IsResourceRequest, Is.True, "IsResourceRequest");
            Assert.That(info.Verb, Is.EqualTo(verb), "Verb");
            Assert.That(info.ApiPrefix, Is.EqualTo(group.Length == 0 ? "api" : "apis"), "ApiPrefix");
            Assert.That(info.ApiGroup, Is.EqualTo(group), "ApiGroup");
            Assert.That(info.ApiVersion, Is.EqualTo(version), "ApiVersion");
            Assert.That(info.Namespace, Is.EqualTo(ns), "Namespace");
            Assert.That(info.Resource, Is.EqualTo(resource), "Resource");
            Assert.That(info.Name, Is.EqualTo(name), "Name");
            Assert.That(info.Subresource, Is.EqualTo(subresource), "Subresource");
        });
    }

    [Test]
    public void CoreNamespacedCollection_IsListInTheNamespace()
    {
        var info = RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns1/configmaps");
        AssertInfo(info, "list", "", "v1", "ns1", "configmaps", "");
        Assert.That(info.Path, Is.EqualTo("/api/v1/namespaces/ns1/configmaps"));
    }

    [Test]
    public void CoreNamespacedObject_IsGetOfTheName()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns1/configmaps/cm"), "get", "", "v1", "ns1", "configmaps", "cm");
    }

    [Test]
    public void HeadOfAnObject_IsGet()
    {
        AssertInfo(RequestInfoResolver.Resolve("HEAD", "/api/v1/namespaces/ns1/secrets/s"), "get", "", "v1", "ns1", "secrets", "s");
    }

    [Test]
    public void GroupNamespacedSubresource_ParsesEveryPart()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/apis/apps/v1/namespaces/ns/deployments/web/scale"), "get", "apps", "v1", "ns", "deployments", "web", "scale");
    }

    [Test]
    public void GroupClusterScopedObject_HasNoNamespace()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin"), "get", "rbac.authorization.k8s.io", "v1", "", "clusterroles", "admin");
        AssertInfo(RequestInfoResolver.Resolve("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles"), "list", "rbac.authorization.k8s.io", "v1", "", "clusterroles", "");
    }

    [Test]
    public void CoreClusterScopedObject_HasNoNamespace()
    {
        AssertInfo(RequestInfoResolver.Resolve("PUT", "/api/v1/nodes/node-1"), "update", "", "v1", "", "nodes", "node-1");
        AssertInfo(RequestInfoResolver.Resolve("PUT", "/api/v1/nodes/node-1/status"), "update", "", "v1", "", "nodes", "node-1", "status");
    }

    [Test]
    public void NamespaceCollection_IsClusterScopedList()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces"), "list", "", "v1", "", "namespaces", "");
        AssertInfo(RequestInfoResolver.Resolve("POST", "/api/v1/namespaces"), "create", "", "v1", "", "namespaces", "");
    }

    [Test]
    public void NamespaceObject_IsInItsOwnNamespace()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/foo"), "get", "", "v1", "foo", "namespaces", "foo");
        AssertInfo(RequestInfoResolver.Resolve("DELETE", "/api/v1/namespaces/foo"), "delete", "", "v1", "foo", "namespaces", "foo");
        AssertInfo(RequestInfoResolver.Resolve("PUT", "/api/v1/namespaces/foo"), "update", "", "v1", "foo", "namespaces", "foo");
    }

    [TestCase("status")]
    [TestCase("finalize")]
    public void NamespaceSubresource_IsASubresourceOfTheNamespace(string subresource)
    {
        AssertInfo(RequestInfoResolver.Resolve("PUT", $"/api/v1/namespaces/foo/{subresource}"), "update", "", "v1", "foo", "namespaces", "foo", subresource);
        AssertInfo(RequestInfoResolver.Resolve("GET", $"/api/v1/namespaces/foo/{subresource}"), "get", "", "v1", "foo", "namespaces", "foo", subresource);
    }

    [Test]
    public void NamespacedResourceNamedLikeANamespaceSubresource_IsNotConfused()
    {
        // Only status and finalize directly after the namespace name are namespace subresources.
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/foo/configmaps/status"), "get", "", "v1", "foo", "configmaps", "status");
    }

    [TestCase("POST", "create")]
    [TestCase("PUT", "update")]
    [TestCase("PATCH", "patch")]
    [TestCase("DELETE", "delete")]
    [TestCase("GET", "get")]
    [TestCase("post", "create")]
    public void Methods_MapToVerbsOnAnObject(string method, string verb)
    {
        AssertInfo(RequestInfoResolver.Resolve(method, "/api/v1/namespaces/ns/configmaps/cm"), verb, "", "v1", "ns", "configmaps", "cm");
    }

    [Test]
    public void PostToACollection_IsCreate()
    {
        AssertInfo(RequestInfoResolver.Resolve("POST", "/api/v1/namespaces/ns/configmaps"), "create", "", "v1", "ns", "configmaps", "");
    }

    [Test]
    public void DeleteOfACollection_IsDeleteCollection()
    {
        AssertInfo(RequestInfoResolver.Resolve("DELETE", "/api/v1/namespaces/ns/configmaps"), "deletecollection", "", "v1", "ns", "configmaps", "");
        AssertInfo(RequestInfoResolver.Resolve("DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles"), "deletecollection", "rbac.authorization.k8s.io", "v1", "", "clusterroles", "");
    }

    // kube-apiserver reads any watch value but "false" and "0" (in any case) as true, even an empty one.
    [TestCase("true")]
    [TestCase("1")]
    [TestCase("True")]
    [TestCase("TRUE")]
    [TestCase("yes")]
    [TestCase("")]
    public void ListWithWatch_IsWatch(string watch)
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/configmaps", watch), "watch", "", "v1", "ns", "configmaps", "");
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/configmaps", watch), "watch", "", "v1", "", "configmaps", "");
    }

    [TestCase(null)]
    [TestCase("false")]
    [TestCase("False")]
    [TestCase("FALSE")]
    [TestCase("0")]
    public void ListWithoutWatch_IsList(string? watch)
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/configmaps", watch), "list", "", "v1", "ns", "configmaps", "");
    }

    [Test]
    public void ListWithoutAWatchArgument_IsList()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/configmaps"), "list", "", "v1", "ns", "configmaps", "");
    }

    [Test]
    public void WatchParameter_DoesNotChangeWrites()
    {
        AssertInfo(RequestInfoResolver.Resolve("POST", "/api/v1/namespaces/ns/configmaps", "true"), "create", "", "v1", "ns", "configmaps", "");
        AssertInfo(RequestInfoResolver.Resolve("DELETE", "/api/v1/namespaces/ns/configmaps", "true"), "deletecollection", "", "v1", "ns", "configmaps", "");
    }

    [Test]
    public void ClusterWideListOfANamespacedResource_HasNoNamespace()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/configmaps"), "list", "", "v1", "", "configmaps", "");
        AssertInfo(RequestInfoResolver.Resolve("GET", "/apis/events.k8s.io/v1/events"), "list", "events.k8s.io", "v1", "", "events", "");
    }

    [Test]
    public void SubresourceWithMoreParts_KeepsTheRestInParts()
    {
        var info = RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/pods/p/proxy/a/b");
        AssertInfo(info, "get", "", "v1", "ns", "pods", "p", "proxy");
        Assert.That(info.Parts, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Subresources_OfNamespacedObjects()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/pods/p/log"), "get", "", "v1", "ns", "pods", "p", "log");
        AssertInfo(RequestInfoResolver.Resolve("POST", "/api/v1/namespaces/ns/serviceaccounts/sa/token"), "create", "", "v1", "ns", "serviceaccounts", "sa", "token");
        AssertInfo(RequestInfoResolver.Resolve("PUT", "/apis/apps/v1/namespaces/ns/deployments/d/status"), "update", "apps", "v1", "ns", "deployments", "d", "status");
    }

    [Test]
    public void TrailingSlash_IsIgnored()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/configmaps/"), "list", "", "v1", "ns", "configmaps", "");
    }

    [TestCase("/")]
    [TestCase("/healthz")]
    [TestCase("/livez")]
    [TestCase("/readyz/ping")]
    [TestCase("/version")]
    [TestCase("/openapi/v2")]
    [TestCase("/api")]
    [TestCase("/api/v1")]
    [TestCase("/api/v1/")]
    [TestCase("/apis")]
    [TestCase("/apis/apps")]
    [TestCase("/apis/apps/v1")]
    [TestCase("/metrics")]
    public void NonResourcePaths_AreNotResourceRequests(string path)
    {
        var info = RequestInfoResolver.Resolve("GET", path);
        Assert.Multiple(() =>
        {
            Assert.That(info.IsResourceRequest, Is.False);
            Assert.That(info.Verb, Is.EqualTo("get"));
            Assert.That(info.Path, Is.EqualTo(path));
            Assert.That(info.Resource, Is.Empty);
            Assert.That(info.Name, Is.Empty);
            Assert.That(info.Namespace, Is.Empty);
        });
    }

    [Test]
    public void NonResourcePath_VerbIsTheLowerCaseMethod()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RequestInfoResolver.Resolve("POST", "/healthz").Verb, Is.EqualTo("post"));
            Assert.That(RequestInfoResolver.Resolve("PUT", "/apis").Verb, Is.EqualTo("put"));
            Assert.That(RequestInfoResolver.Resolve("GET", "/apis/apps/v1", "true").Verb, Is.EqualTo("get"));
        });
    }

    [Test]
    public void PathsUnderOtherPrefixes_AreNotResourceRequests()
    {
        Assert.That(RequestInfoResolver.Resolve("GET", "/other/v1/namespaces/ns/configmaps").IsResourceRequest, Is.False);
    }

    [Test]
    public void NamedGetWithWatch_StaysAGet()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/namespaces/ns/configmaps/cm", "true"), "get", "", "v1", "ns", "configmaps", "cm");
    }

    [Test]
    public void LegacyWatchPath_WatchesCollectionsAndNamedObjects()
    {
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/watch/namespaces/ns/configmaps"), "watch", "", "v1", "ns", "configmaps", "");
        AssertInfo(RequestInfoResolver.Resolve("GET", "/api/v1/watch/namespaces/ns/configmaps/cm"), "watch", "", "v1", "ns", "configmaps", "cm");
        AssertInfo(RequestInfoResolver.Resolve("GET", "/apis/apps/v1/watch/deployments"), "watch", "apps", "v1", "", "deployments", "");
    }
}
