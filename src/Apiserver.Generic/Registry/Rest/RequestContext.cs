using Apiserver.Generic.Admission;
using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>What a storage call needs to know about the request it serves.</summary>
/// <param name="Namespace">The namespace of the request; empty for cluster-scoped resources and all-namespace reads.</param>
/// <param name="User">The authenticated user, when there is one.</param>
/// <param name="Admission">The admission chain to run validating admission with, or null to skip admission.</param>
/// <param name="Warnings">Where warnings for the client go, or null to drop them.</param>
public sealed record RequestContext(string Namespace, UserInfo? User = null, AdmissionChain? Admission = null, IWarningSink? Warnings = null);
