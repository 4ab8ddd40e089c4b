using System.CommandLine;

namespace KubeApiserver.Options;

/// <summary>Everything the executable can be told, grouped by concern; built from the command line or directly (tests, embedding).</summary>
public sealed record KubeApiserverOptions
{
    /// <summary>Listening.</summary>
    public ServingOptions Serving { get; init; } = new();
    /// <summary>Storage.</summary>
    public StorageOptions Storage { get; init; } = new();
    /// <summary>Authentication, authorization, admission.</summary>
    public SecurityOptions Security { get; init; } = new();
    /// <summary>Service cluster IPs and node ports.</summary>
    public ServiceNetworkOptions ServiceNetwork { get; init; } = new();
    /// <summary>How kubelets are reached.</summary>
    public KubeletOptions Kubelet { get; init; } = new();

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        foreach (var option in ServingOptions.All.Concat(StorageOptions.All).Concat(SecurityOptions.All).Concat(ServiceNetworkOptions.All).Concat(KubeletOptions.All))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the flags of a parsed command line.</summary>
    public static KubeApiserverOptions Read(ParseResult result) => new()
    {
        Serving = ServingOptions.Read(result),
        Storage = StorageOptions.Read(result),
        Security = SecurityOptions.Read(result),
        ServiceNetwork = ServiceNetworkOptions.Read(result),
        Kubelet = KubeletOptions.Read(result),
    };

    /// <summary>Every problem with the options, all at once.</summary>
    public IReadOnlyList<string> Validate() => [.. Serving.Validate(), .. Storage.Validate(), .. Security.Validate(), .. ServiceNetwork.Validate(), .. Kubelet.Validate()];
}
