namespace Apiserver.Generic.Server;

/// <summary>
/// Work that runs once the server listens, such as creating the system namespaces. Shown in
/// <c>/readyz?verbose</c> as <c>poststarthook/&lt;name&gt;</c>, failing until it has completed.
/// </summary>
/// <param name="Name">The hook's name.</param>
/// <param name="Run">The work; it is cancelled at shutdown.</param>
public sealed record PostStartHook(string Name, Func<CancellationToken, Task> Run);

/// <summary>A named check served under <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c>.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Check">Returns null when healthy, else why not (logged, never shown to clients).</param>
/// <param name="ReadinessOnly">Whether the check only affects <c>/readyz</c> (not liveness).</param>
public sealed record HealthCheck(string Name, Func<CancellationToken, ValueTask<string?>> Check, bool ReadinessOnly = false);
