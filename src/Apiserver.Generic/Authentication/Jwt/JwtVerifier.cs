using System.Text;

namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>
/// Verifies a JWS's signature against the keys of one source and its time claims; shared by
/// service-account tokens (keys from files) and OIDC ID tokens (keys from the issuer's JWKS).
/// Which issuer, audience and claims a token must carry is the caller's business.
/// </summary>
/// <param name="keys">Where the keys come from.</param>
/// <param name="algorithms">The algorithms accepted (the <c>alg</c> header must be one of them).</param>
/// <param name="leeway">Clock skew tolerated on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</param>
/// <param name="requireExpiry">Whether a token without <c>exp</c> is refused.</param>
public sealed class JwtVerifier(IJsonWebKeySource keys, IReadOnlyCollection<string> algorithms, TimeSpan leeway, bool requireExpiry = true)
{
    /// <summary>The key source.</summary>
    public IJsonWebKeySource Keys => keys;

    /// <summary>Checks the signature, then <c>exp</c>, <c>nbf</c> and <c>iat</c> against <paramref name="now"/>.</summary>
    public async ValueTask<JwtFailure> VerifyAsync(JsonWebToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!algorithms.Contains(token.Algorithm) || !JwtAlgorithms.Supported.Contains(token.Algorithm))
        {
            return JwtFailure.UnsupportedAlgorithm;
        }
        var data = Encoding.ASCII.GetBytes(token.SigningInput);
        var candidates = await keys.GetKeysAsync(token.KeyId, cancellationToken);
        // A token naming a key is checked against that key; one naming none against every key.
        var verified = candidates
            .Where(k => token.KeyId is null || k.KeyId.Length == 0 || k.KeyId == token.KeyId)
            .Any(k => JwtAlgorithms.Verify(token.Algorithm, k.Key, data, token.Signature));
        if (!verified)
        {
            return JwtFailure.InvalidSignature;
        }
        var expiry = token.TimeClaim("exp");
        if (expiry is null && requireExpiry)
        {
            return JwtFailure.MissingExpiry;
        }
        if (expiry is { } exp && now > exp + leeway)
        {
            return JwtFailure.Expired;
        }
        if (token.TimeClaim("nbf") is { } nbf && now + leeway < nbf)
        {
            return JwtFailure.NotYetValid;
        }
        if (token.TimeClaim("iat") is { } iat && now + leeway < iat)
        {
            return JwtFailure.NotYetValid;
        }
        return JwtFailure.None;
    }
}
