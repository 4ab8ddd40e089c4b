using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Authentication;

/// <summary>
/// Authenticating-proxy authentication (kube's <c>requestheader</c> behind an <c>x509request</c>
/// verifier): when the client certificate chains to <c>--requestheader-client-ca-file</c> and its
/// CN is one of <c>--requestheader-allowed-names</c> (or any when none are given), the user is the
/// one the headers name, and the headers are removed from the request. Otherwise, or without a
/// username header, the request is left to the next authenticator (so the x509 authenticator
/// still sees the certificate).
/// </summary>
public sealed class RequestHeaderAuthenticator(X509Certificate2Collection authorities, RequestHeaderOptions options) : IAuthenticator
{
    // Certificate verification and CN extraction are the x509 authenticator's, over the proxy CAs.
    private readonly X509Authenticator _proxyCertificates = new(authorities);

    /// <inheritdoc/>
    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Connection.ClientCertificate is not { } certificate
            || _proxyCertificates.Authenticate(certificate).User is not { } proxy
            || (options.AllowedNames.Count > 0 && !options.AllowedNames.Contains(proxy.Name)))
        {
            return ValueTask.FromResult(AuthenticationResult.NotRecognized);
        }
        var headers = context.Request.Headers;
        var name = First(headers, options.UsernameHeaders);
        if (name.Length == 0)
        {
            return ValueTask.FromResult(AuthenticationResult.NotRecognized);
        }
        var uid = First(headers, options.UidHeaders);
        var groups = options.GroupHeaders.SelectMany(h => headers[h].Select(v => v ?? "")).Where(g => g.Length > 0).ToList();
        var extra = new Dictionary<string, List<string>>();
        foreach (var (header, values) in headers)
        {
            var prefix = options.ExtraHeaderPrefixes.FirstOrDefault(p => header.StartsWith(p, StringComparison.OrdinalIgnoreCase));
            if (prefix is null)
            {
                continue;
            }
            var key = HeaderKeys.ExtraKey(header[prefix.Length..]);
            if (!extra.TryGetValue(key, out var list))
            {
                extra[key] = list = [];
            }
            list.AddRange(values.Select(v => v ?? ""));
        }
        if (!groups.Contains(UserInfo.AuthenticatedGroup))
        {
            groups.Add(UserInfo.AuthenticatedGroup);
        }
        // The identity headers stop here: nothing behind the filter may read (or trust) them.
        foreach (var header in headers.Keys.Where(IsIdentityHeader).ToList())
        {
            headers.Remove(header);
        }
        var user = new UserInfo(name, uid, groups, extra.Count > 0 ? extra.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value) : null);
        return ValueTask.FromResult(AuthenticationResult.Success(user));
    }

    private bool IsIdentityHeader(string header) =>
        options.UsernameHeaders.Concat(options.UidHeaders).Concat(options.GroupHeaders).Any(h => h.Equals(header, StringComparison.OrdinalIgnoreCase))
        || options.ExtraHeaderPrefixes.Any(p => header.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string First(IHeaderDictionary headers, IEnumerable<string> names) =>
        names.Select(n => headers[n].FirstOrDefault() ?? "").FirstOrDefault(v => v.Length > 0) ?? "";
}
