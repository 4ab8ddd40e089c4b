using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>The RBAC cache re-lists when its watch is refused (the revision was compacted) and keeps following.</summary>
[TestFixture]
public sealed class RbacPolicyCacheTests
{
    [Test]
    public async Task CompactedWatch_IsFollowedByARelist_ThatSeesLaterWrites()
    {
        var dir = Directory.CreateTempSubdirectory("rbac-cache-").FullName;
        try
        {
            await using var sqlite = await SqliteStorage.OpenInDirectoryAsync(dir);
            var storage = new CompactingWatchStorage(sqlite, refusals: 3);
            await using var cache = new RbacPolicyCache(storage);
            await cache.GetPolicyAsync(default);
            await CreateAsync(sqlite, ClusterRoleResource.Definition, """{"metadata":{"name":"reader"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}""");
            await CreateAsync(sqlite, ClusterRoleBindingResource.Definition, """
                {"metadata":{"name":"readers"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"reader"},"subjects":[{"kind":"User","name":"alice"}]}
                """);
            var alice = new UserInfo("alice", "", [UserInfo.AuthenticatedGroup]);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!Holds(await cache.GetPolicyAsync(default), alice))
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the cache never caught up after its watches were refused");
                await Task.Delay(20);
            }
            Assert.That(storage.Refused, Is.EqualTo(3), "only the first watches were refused");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Holds(RbacPolicy policy, UserInfo user)
    {
        var rules = new List<PolicyRule>();
        policy.VisitRulesFor(user, "", (_, rule, _) =>
        {
            if (rule is not null)
            {
                rules.Add(rule);
            }
            return true;
        });
        return rules.Any(r => r.Resources.Contains("pods"));
    }

    private static async Task CreateAsync(IStorage storage, ResourceDefinition definition, string json)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        obj["apiVersion"] = "rbac.authorization.k8s.io/v1";
        obj["kind"] = definition.Names.Kind.Kind;
        await new GenericStore(definition, storage).CreateAsync(new RequestContext(""), obj, new CreateOptions(), default);
    }

    /// <summary>A store whose first watches fail as a compacted revision does; everything else is the inner store's.</summary>
    private sealed class CompactingWatchStorage(IStorage inner, int refusals) : IStorage
    {
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, bool progressNotify = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _refused) <= refusals)
            {
                throw new StorageException(StorageErrorCode.Compacted, prefix, "required revision has been compacted");
            }
            Interlocked.Decrement(ref _refused);
            await foreach (var e in inner.WatchAsync(prefix, afterRevision, progressNotify, cancellationToken))
            {
                yield return e;
            }
        }

        public ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default) => inner.GetCurrentRevisionAsync(cancellationToken);
        public ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
        public ValueTask<ListResult> ListAsync(string prefix, Apiserver.Generic.Storage.ListOptions options, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, options, cancellationToken);
        public ValueTask<long> CountAsync(string prefix, CancellationToken cancellationToken = default) => inner.CountAsync(prefix, cancellationToken);
        public ValueTask<KeyValue> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => inner.CreateAsync(key, value, cancellationToken);
        public ValueTask<KeyValue> UpdateAsync(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => inner.UpdateAsync(key, expectedModRevision, value, cancellationToken);
        public ValueTask<KeyValue> DeleteAsync(string key, long? expectedModRevision = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, expectedModRevision, cancellationToken);
        public ValueTask<long> GetCompactedRevisionAsync(CancellationToken cancellationToken = default) => inner.GetCompactedRevisionAsync(cancellationToken);
        public ValueTask CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
