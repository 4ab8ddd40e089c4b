using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// A resource's storage as the endpoint installer sees it. What else it implements
/// (<see cref="IGetter"/>, <see cref="ILister"/>, …) decides which verbs are served and
/// which discovery reports; nothing is served that is not implemented.
/// </summary>
public interface IRestStorage
{
    /// <summary>The names and scope of the resource.</summary>
    ResourceNames Names { get; }
}

/// <summary>How a resource is named and scoped.</summary>
/// <param name="Kind">The kind of the objects served (its group and version are the endpoint's).</param>
/// <param name="Plural">The resource name in URLs, e.g. <c>configmaps</c>.</param>
/// <param name="Singular">The singular name, e.g. <c>configmap</c>.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
public sealed record ResourceNames(GroupVersionKind Kind, string Plural, string Singular, bool Namespaced)
{
    /// <summary>
    /// The resource's own API group when its kind is from another one (a <c>deployments/scale</c>
    /// subresource serves the autoscaling Scale kind but belongs to apps); null means the kind's group.
    /// </summary>
    public string? ResourceGroup { get; init; }

    /// <summary>The resource qualified by its group, as error messages, admission and authorization name it.</summary>
    public GroupResource GroupResource => new(ResourceGroup ?? Kind.Group, Plural);
}

/// <summary>Reports the short names (<c>cm</c>, <c>ns</c>) of a resource in discovery.</summary>
public interface IShortNamesProvider
{
    /// <summary>The short names, e.g. <c>cm</c>.</summary>
    IReadOnlyList<string> ShortNames { get; }
}

/// <summary>Reports the categories (<c>all</c>) a resource belongs to in discovery.</summary>
public interface ICategoriesProvider
{
    /// <summary>The categories, e.g. <c>all</c>.</summary>
    IReadOnlyList<string> Categories { get; }
}
