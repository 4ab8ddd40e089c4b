using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authentication.Oidc;
using Apiserver.Generic.Server;
using Apiserver.Kube.ServiceAccounts;
using KubeApiserver.Options;
using Microsoft.Extensions.Logging;

namespace KubeApiserver;

/// <summary>
/// The JWT bearer-token authenticators: service-account tokens, then OIDC ID tokens when an issuer
/// is configured (each recognises only its own issuers' tokens, so the order only matters for speed).
/// </summary>
/// <param name="Tokens">The token authenticators, as TokenReview asks them.</param>
/// <param name="Bearer">The same as one request authenticator of the union.</param>
internal sealed record TokenAuthentication(IReadOnlyList<ITokenAuthenticator> Tokens, BearerTokenAuthenticator Bearer)
{
    public static TokenAuthentication Create(ServiceAccountTokenConfig serviceAccounts, OidcOptions oidcOptions, StorageConfig storage, ILoggerFactory loggerFactory)
    {
        List<ITokenAuthenticator> tokens = [new ServiceAccountTokenAuthenticator(serviceAccounts, new ServiceAccountObjects(storage))];
        if (oidcOptions.ToConfig() is { } oidc)
        {
            var keys = new OidcKeySource(oidc.IssuerUrl, oidc.CaCertificates, loggerFactory.CreateLogger("Apiserver.Authentication.Oidc"));
            // kube's OIDC authenticator is audience-agnostic: its tokens are for the client id, and count for the API's audiences.
            tokens.Add(new AudienceAgnosticTokenAuthenticator(serviceAccounts.ApiAudiences, new OidcAuthenticator(oidc, keys)));
        }
        var bearer = new BearerTokenAuthenticator(tokens, serviceAccounts.ApiAudiences, loggerFactory.CreateLogger("Apiserver.Authentication"));
        return new TokenAuthentication(tokens, bearer);
    }
}
