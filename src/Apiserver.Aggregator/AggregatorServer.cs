using Apiserver.Generic.Server;

namespace Apiserver.Aggregator;

/// <summary>
/// The front of the chain (<c>apiregistration.k8s.io</c>): it will register APIServices and proxy
/// to them; for now every request passes through it to the kube server behind.
/// </summary>
public static class AggregatorServer
{
    /// <summary>Builds the server named <c>kube-aggregator</c> in front of <paramref name="next"/>.</summary>
    public static GenericApiServer New(CompletedConfig config, IDelegationTarget next) =>
        config.New("kube-aggregator", next);
}
