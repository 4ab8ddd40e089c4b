namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>A fixed set of keys (service-account keys read from files at start).</summary>
public sealed class StaticJsonWebKeySource(IReadOnlyList<JsonWebKey> keys) : IJsonWebKeySource
{
    /// <summary>The keys.</summary>
    public IReadOnlyList<JsonWebKey> Keys { get; } = keys;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JsonWebKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken) => ValueTask.FromResult(Keys);
}
