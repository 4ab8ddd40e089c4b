using Apiserver.Generic.Admission;
using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Server;

/// <summary>
/// A checked configuration: the only way to build a <see cref="GenericApiServer"/>. One completed
/// configuration can build every server of a chain, so they share authentication, admission and storage.
/// </summary>
public sealed class CompletedConfig
{
    internal CompletedConfig(ServerConfig config)
    {
        Serving = config.Serving;
        Authentication = config.Authentication;
        Authorization = config.Authorization;
        Storage = config.Storage;
        Version = config.Version;
        LoggerFactory = config.LoggerFactory;
        Admission = new AdmissionChain(config.Admission.Plugins);
    }

    /// <summary>Listening.</summary>
    public ServingConfig Serving { get; }
    /// <summary>Authentication.</summary>
    public AuthenticationConfig Authentication { get; }
    /// <summary>Authorization.</summary>
    public AuthorizationConfig Authorization { get; }
    /// <summary>The admission chain.</summary>
    public AdmissionChain Admission { get; }
    /// <summary>Storage, when configured.</summary>
    public StorageConfig? Storage { get; }
    /// <summary>What <c>/version</c> reports.</summary>
    public VersionInfo Version { get; }
    /// <summary>Where logs go.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Builds a server named <paramref name="name"/> that hands what it does not serve to <paramref name="next"/>.</summary>
    public GenericApiServer New(string name, IDelegationTarget next) => new(name, this, next);
}
