namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>Why a token failed verification.</summary>
public enum JwtFailure
{
    /// <summary>It verified.</summary>
    None,
    /// <summary>The header names an algorithm that is not allowed.</summary>
    UnsupportedAlgorithm,
    /// <summary>No key's signature matches.</summary>
    InvalidSignature,
    /// <summary>The <c>exp</c> claim is missing.</summary>
    MissingExpiry,
    /// <summary>The <c>exp</c> claim has passed.</summary>
    Expired,
    /// <summary>The <c>nbf</c> (or <c>iat</c>) claim is still to come.</summary>
    NotYetValid,
}
