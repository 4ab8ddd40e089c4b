using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Authentication;

/// <summary>Static bearer tokens (the <c>Authorization: Bearer …</c> header), compared in constant time.</summary>
public sealed class TokenAuthenticator : IAuthenticator, ITokenAuthenticator
{
    private readonly FrozenDictionary<string, UserInfo> _users;

    /// <summary>Creates the authenticator from a token → user table.</summary>
    public TokenAuthenticator(IReadOnlyDictionary<string, UserInfo> tokens) =>
        _users = tokens.ToFrozenDictionary(
            kv => Hash(kv.Key),
            kv => kv.Value.Groups.Contains(UserInfo.AuthenticatedGroup)
                ? kv.Value
                : kv.Value with { Groups = [.. kv.Value.Groups, UserInfo.AuthenticatedGroup] });

    /// <inheritdoc/>
    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(AuthenticationResult.NotRecognized);
        }
        var token = header["Bearer ".Length..].Trim();
        // Keyed by a hash so that the lookup's timing says nothing about the stored tokens.
        return ValueTask.FromResult(token.Length > 0 && _users.TryGetValue(Hash(token), out var user)
            ? AuthenticationResult.Success(user)
            : AuthenticationResult.NotRecognized);
    }

    /// <inheritdoc/>
    public ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken) =>
        ValueTask.FromResult(token.Length > 0 && _users.TryGetValue(Hash(token), out var user)
            ? TokenAuthenticationResult.Success(user, audiences)
            : TokenAuthenticationResult.NotRecognized);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
