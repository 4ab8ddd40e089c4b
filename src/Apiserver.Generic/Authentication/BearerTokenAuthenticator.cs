using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Apiserver.Generic.Authentication;

/// <summary>
/// The <c>Authorization: Bearer …</c> header checked by token authenticators in order, for the
/// API's own audiences (<c>--api-audiences</c>); the first that recognises the token decides.
/// Why a token was refused is logged, never sent: the client sees a bare 401.
/// </summary>
public sealed partial class BearerTokenAuthenticator(IReadOnlyList<ITokenAuthenticator> authenticators, IReadOnlyList<string> apiAudiences, ILogger? logger = null) : IAuthenticator
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The token of a request's <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header["Bearer ".Length..].Trim();
        return token.Length > 0 ? token : null;
    }

    /// <inheritdoc/>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (BearerToken(context.Request) is not { } token)
        {
            return AuthenticationResult.NotRecognized;
        }
        var result = await AuthenticateTokenAsync(authenticators, token, apiAudiences, cancellationToken);
        if (!result.Recognized)
        {
            return AuthenticationResult.NotRecognized;
        }
        if (result.User is null)
        {
            LogRejected(_logger, result.Error ?? "invalid bearer token");
            return AuthenticationResult.Rejected;
        }
        return AuthenticationResult.Success(result.User);
    }

    /// <summary>Asks <paramref name="authenticators"/> in order; the first that recognises the token decides.</summary>
    public static async ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(IEnumerable<ITokenAuthenticator> authenticators, string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        foreach (var authenticator in authenticators)
        {
            var result = await authenticator.AuthenticateTokenAsync(token, audiences, cancellationToken);
            if (result.Recognized)
            {
                return result;
            }
        }
        return TokenAuthenticationResult.NotRecognized;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bearer token refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
