using Apiserver.Generic.Server;

namespace Apiserver.Extensions;

/// <summary>
/// The server of CustomResourceDefinitions (<c>apiextensions.k8s.io</c>), the last before the
/// not-found delegate. It serves no resources yet; requests pass through it to its delegate.
/// </summary>
public static class ApiextensionsApiServer
{
    /// <summary>Builds the server named <c>apiextensions-apiserver</c> in front of <paramref name="next"/>.</summary>
    public static GenericApiServer New(CompletedConfig config, IDelegationTarget next) =>
        config.New("apiextensions-apiserver", next);
}
