namespace Apiserver.Generic.Authentication;

/// <summary>Who made a request (<c>user.Info</c>).</summary>
/// <param name="Name">The user name, e.g. <c>admin</c> or <c>system:serviceaccount:ns:sa</c>.</param>
/// <param name="Uid">A unique id, when the authenticator knows one.</param>
/// <param name="Groups">The groups, always including <c>system:authenticated</c> for authenticated users.</param>
/// <param name="Extra">Further attributes from the authenticator.</param>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null)
{
    /// <summary>The group every authenticated user is in.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>The group of every anonymous request.</summary>
    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>The group of cluster administrators.</summary>
    public const string MastersGroup = "system:masters";
}
