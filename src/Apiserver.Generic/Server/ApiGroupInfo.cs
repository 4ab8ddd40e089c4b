using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Server;

/// <summary>One API group to install: its versions (preferred first) and each version's resources.</summary>
/// <param name="Group">The group name; empty for the core group.</param>
/// <param name="Versions">The versions, preferred first, each with the storage of its resources.</param>
public sealed record ApiGroupInfo(string Group, IReadOnlyList<(string Version, IReadOnlyList<IRestStorage> Resources)> Versions);
