using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Authorization;

/// <summary>An authorizer's verdict.</summary>
public enum Decision
{
    /// <summary>No opinion: the next authorizer decides.</summary>
    NoOpinion,
    /// <summary>The request is allowed.</summary>
    Allow,
    /// <summary>The request is denied; later authorizers are not asked.</summary>
    Deny,
}

/// <summary>What is being asked (<c>authorizer.Attributes</c>).</summary>
/// <param name="User">Who asks.</param>
/// <param name="Verb">The verb: get, list, watch, create, update, patch, delete, deletecollection; or the HTTP verb in lower case for non-resource paths.</param>
/// <param name="IsResourceRequest">Whether this is a request for a resource (else for a path).</param>
/// <param name="ApiGroup">The API group.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Subresource">The subresource.</param>
/// <param name="Name">The object name.</param>
/// <param name="Path">The request path.</param>
public sealed record AuthorizationAttributes(UserInfo User, string Verb, bool IsResourceRequest, string ApiGroup, string Namespace, string Resource, string Subresource, string Name, string Path);

/// <summary>Decides whether a user may make a request.</summary>
public interface IAuthorizer
{
    /// <summary>The verdict, and a reason that is shown to the user when denied.</summary>
    ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken);
}
