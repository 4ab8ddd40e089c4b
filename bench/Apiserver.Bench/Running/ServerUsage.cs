namespace Apiserver.Bench.Running;

/// <summary>What the server process spent on a phase.</summary>
/// <param name="Cpu">Its CPU time (user + system) during the phase.</param>
/// <param name="RssBytes">Its resident set after the phase.</param>
/// <param name="PeakRssBytes">Its resident set's peak during the phase, when the kernel lets it be reset.</param>
internal sealed record ServerUsage(TimeSpan Cpu, long RssBytes, long? PeakRssBytes);
