using System.CommandLine;

namespace KubeApiserver.Options;

/// <summary>Where objects are kept.</summary>
public sealed record StorageOptions
{
    private static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "The directory of the embedded store, generated certificates and credentials.",
        DefaultValueFactory = _ => ".kube-apiserver",
    };
    private static readonly Option<string> PrefixOption = new("--etcd-prefix")
    {
        Description = "The prefix to prepend to all resource paths in storage.",
        DefaultValueFactory = _ => "/registry",
    };

    /// <summary>The data directory.</summary>
    public string DataDir { get; init; } = ".kube-apiserver";
    /// <summary>The storage key prefix.</summary>
    public string Prefix { get; init; } = "/registry";

    internal static IEnumerable<Option> All => [DataDirOption, PrefixOption];

    internal static StorageOptions Read(ParseResult result) => new()
    {
        DataDir = result.GetValue(DataDirOption)!,
        Prefix = result.GetValue(PrefixOption)!,
    };

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return "--data-dir must not be empty";
        }
        if (!Prefix.StartsWith('/'))
        {
            yield return $"--etcd-prefix \"{Prefix}\" must start with '/'";
        }
    }
}
