using System.Security.Cryptography.X509Certificates;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Server;
using Apiserver.Generic.Webhooks;
using KubeApiserver.Options;

namespace KubeApiserver;

/// <summary>Adds the authenticators of delegated authentication to the union, in kube's places.</summary>
internal static class DelegatedAuthentication
{
    /// <summary>
    /// The authenticating proxy goes first (its certificate must not be read as a user's by the x509
    /// authenticator), the token webhook last (it is asked only about tokens nobody else recognised).
    /// </summary>
    public static AuthenticationConfig WithDelegatedAuthenticators(this AuthenticationConfig config, SecurityOptions security, OwnedResources owned)
    {
        var authenticators = config.Authenticators.ToList();
        if (security.RequestheaderClientCaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            try
            {
                authorities.ImportFromPemFile(caFile);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new ArgumentException($"--requestheader-client-ca-file \"{caFile}\": {e.Message}", e);
            }
            authenticators.Insert(0, new RequestHeaderAuthenticator(authorities, new RequestHeaderOptions(
                security.RequestheaderUsernameHeaders, security.RequestheaderUidHeaders, security.RequestheaderGroupHeaders,
                security.RequestheaderExtraHeadersPrefix, security.RequestheaderAllowedNames)));
        }
        var tokenAuthenticators = config.TokenAuthenticators.ToList();
        if (security.AuthenticationTokenWebhookConfigFile is { } webhookFile)
        {
            var webhook = owned.Add(new WebhookTokenAuthenticator(
                KubeconfigWebhookClient.FromFile(webhookFile, KubeconfigWebhookClient.DefaultTimeout), security.AuthenticationTokenWebhookCacheTtl));
            authenticators.Add(webhook);
            // TokenReview asks it as well; like static tokens, its tokens count for the API's audiences only.
            tokenAuthenticators.Add(new AudienceAgnosticTokenAuthenticator(config.ApiAudiences, webhook));
        }
        return config with { Authenticators = authenticators, TokenAuthenticators = tokenAuthenticators };
    }
}
