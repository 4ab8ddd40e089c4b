using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Controllers;

/// <summary>Creates the namespaces every cluster has: default, kube-system, kube-public and kube-node-lease.</summary>
internal static class SystemNamespaces
{
    public static readonly string[] Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static Task EnsureAsync(GenericStore namespaces, CancellationToken cancellationToken) =>
        EnsureAsync(namespaces, Names, cancellationToken);

    /// <summary>Creates each of <paramref name="names"/> that does not exist yet.</summary>
    public static async Task EnsureAsync(GenericStore namespaces, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            try
            {
                var ns = new JsonObject
                {
                    ["kind"] = "Namespace",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["name"] = name },
                };
                await namespaces.CreateAsync(new RequestContext(""), ns, new CreateOptions(), cancellationToken);
            }
            catch (StatusException e) when (e.Code == 409)
            {
                // Exists from an earlier start.
            }
        }
    }
}
