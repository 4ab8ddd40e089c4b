using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Admission;

/// <summary>
/// The <c>NamespaceLifecycle</c> admission plugin: nothing is created in a namespace that does not
/// exist (404) or is being deleted (403), and the system namespaces cannot be deleted.
/// </summary>
public sealed class NamespaceLifecycle(GenericStore namespaces) : IValidatingAdmission
{
    // Whether each namespace was terminating, as of the revision read: namespaces change seldom,
    // and every create in one asks, so each revision is decoded once.
    private readonly ConcurrentDictionary<string, (long Revision, bool Terminating)> _seen = new();

    /// <summary>The namespaces that may never be deleted.</summary>
    public static readonly IReadOnlySet<string> Immortal = new HashSet<string> { "default", "kube-system", "kube-public" };

    /// <inheritdoc/>
    public string Name => "NamespaceLifecycle";

    /// <inheritdoc/>
    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Resource == namespaces.Names.GroupResource)
        {
            if (attributes.Operation == AdmissionOperation.Delete && Immortal.Contains(attributes.Name))
            {
                throw StatusException.Forbidden(attributes.Resource, attributes.Name, "this namespace may not be deleted");
            }
            return;
        }
        if (attributes.Operation != AdmissionOperation.Create || attributes.Namespace.Length == 0)
        {
            return;
        }
        // As kube's plugin reads its informer: from the cache as it is, and live only when the
        // namespace is not there yet (it may have been created a moment ago).
        var ns = await namespaces.GetRecentStoredAsync("", attributes.Namespace, cancellationToken);
        if (ns is null)
        {
            _seen.TryRemove(attributes.Namespace, out _);
            throw StatusException.NotFound(namespaces.Names.GroupResource, attributes.Namespace);
        }
        if (!_seen.TryGetValue(attributes.Namespace, out var seen) || seen.Revision != ns.ModRevision)
        {
            seen = (ns.ModRevision, JsonNode.Parse(ns.Value.Span)?["metadata"]?["deletionTimestamp"] is not null);
            _seen[attributes.Namespace] = seen;
        }
        if (seen.Terminating)
        {
            throw new StatusException(403, StatusReason.Forbidden,
                $"{attributes.Resource} \"{attributes.Name}\" is forbidden: unable to create new content in namespace {attributes.Namespace} because it is being terminated",
                new StatusDetails(Name: attributes.Name, Group: attributes.Resource.Group, Kind: attributes.Resource.Resource,
                    Causes: [new StatusCause("NamespaceTerminating", $"namespace {attributes.Namespace} is being terminated", "metadata.namespace")]));
        }
    }
}
