using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Server;

/// <summary>What <c>/version</c> reports. Clients pick behaviour (and kubectl dispatchers pick a binary) by it.</summary>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version.</param>
/// <param name="GitVersion">The full version, e.g. <c>v1.34.0</c>.</param>
public sealed record VersionInfo(string Major, string Minor, string GitVersion)
{
    /// <summary>The Kubernetes API version this project implements.</summary>
    public static VersionInfo Default { get; } = new("1", "34", "v1.34.0");

    /// <summary>The <c>/version</c> document.</summary>
    public JsonObject ToJson() => new()
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "1970-01-01T00:00:00Z",
        ["goVersion"] = $"dotnet{Environment.Version}",
        ["compiler"] = "dotnet",
        ["platform"] = $"{OperatingSystem()}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant().Replace("x64", "amd64")}",
    };

    private static string OperatingSystem() =>
        System.OperatingSystem.IsLinux() ? "linux" : System.OperatingSystem.IsWindows() ? "windows" : System.OperatingSystem.IsMacOS() ? "darwin" : "unknown";
}
