namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>Where a <see cref="JwtVerifier"/> finds the keys tokens may be signed with.</summary>
public interface IJsonWebKeySource
{
    /// <summary>
    /// The candidate keys for a token naming <paramref name="keyId"/> (null when it names none). A
    /// source that fetches keys refreshes them when the id is unknown.
    /// </summary>
    ValueTask<IReadOnlyList<JsonWebKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken);
}
