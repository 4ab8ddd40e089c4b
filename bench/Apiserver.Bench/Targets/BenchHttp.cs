using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Apiserver.Bench.Targets;

/// <summary>
/// The client side of every HTTP target, over TLS, trusting only the given CA: HTTP/1.1 with
/// keep-alive and one pooled connection per concurrent request (so concurrency c uses c
/// connections, as c separate clients would); or HTTP/2, as client-go speaks it, where concurrent
/// requests share a connection and another opens only when the server's stream limit is reached.
/// </summary>
internal static class BenchHttp
{
    public static HttpClient CreateClient(Uri baseAddress, string? caPem, string? token, bool http2 = false)
    {
        var ca = caPem is null ? null : X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        };
        if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }
                if (cert is not X509Certificate2 served || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(served);
            };
        }
        var client = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan, // Phases bound every request with their own deadline.
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
