using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Authentication;

/// <summary>
/// x509 client certificates (<c>--client-ca-file</c>): a certificate that chains to one of the
/// CAs names the user by its subject's common name (CN) and the groups by its organizations (O).
/// Kestrel must request client certificates (<see cref="Server.ServingConfig.RequestClientCertificates"/>)
/// and accept any, so that this authenticator decides.
/// </summary>
public sealed class X509Authenticator : IAuthenticator
{
    private const string CommonNameOid = "2.5.4.3", OrganizationOid = "2.5.4.10", ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _authorities;

    /// <summary>Creates the authenticator trusting <paramref name="authorities"/>; every certificate in it is a trust anchor, as in kube's CA bundle.</summary>
    public X509Authenticator(X509Certificate2Collection authorities)
    {
        if (authorities.Count == 0)
        {
            throw new ArgumentException("the client CA bundle holds no certificate", nameof(authorities));
        }
        _authorities = authorities;
    }

    /// <summary>Creates the authenticator from a PEM bundle file (<c>--client-ca-file</c>).</summary>
    public static X509Authenticator FromPemFile(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return new X509Authenticator(bundle);
    }

    /// <inheritdoc/>
    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(context.Connection.ClientCertificate is { } certificate ? Authenticate(certificate) : AuthenticationResult.NotRecognized);

    /// <summary>
    /// The user a certificate names: rejected when it does not verify against the CAs (expired,
    /// another issuer, an extended key usage without clientAuth); not recognised without a common name.
    /// </summary>
    public AuthenticationResult Authenticate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // A certificate without the extension may be used for any purpose, as Go's x509 treats it.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        try
        {
            if (!chain.Build(certificate))
            {
                return AuthenticationResult.Rejected;
            }
        }
        catch (CryptographicException)
        {
            return AuthenticationResult.Rejected;
        }

        string? name = null;
        var groups = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }
            var value = rdn.GetSingleElementValue();
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    name ??= value;
                    break;
                case OrganizationOid when !string.IsNullOrEmpty(value):
                    groups.Add(value);
                    break;
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            // kube's CommonNameUserConversion: no user, no error — other authenticators may still recognise the request.
            return AuthenticationResult.NotRecognized;
        }
        if (!groups.Contains(UserInfo.AuthenticatedGroup))
        {
            groups.Add(UserInfo.AuthenticatedGroup);
        }
        return AuthenticationResult.Success(new UserInfo(name, "", groups));
    }
}
