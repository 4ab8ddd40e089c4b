using System.Security.Cryptography;
using Apiserver.Generic.Authentication.Jwt;
using Apiserver.Kube.ServiceAccounts;
using KubeApiserver.Options;

namespace KubeApiserver;

/// <summary>
/// The service-account token configuration from the flags. Without
/// <c>--service-account-signing-key-file</c> the signing key is <c>sa.key</c> in the certificate
/// directory (kubeadm's name), an RSA key generated on first start and reused afterwards.
/// </summary>
internal static class ServiceAccountKeys
{
    public const string KeyFile = "sa.key";

    public static ServiceAccountTokenConfig Config(ServiceAccountOptions options, string pkiDir)
    {
        var signingFile = options.SigningKeyFile ?? EnsureKey(pkiDir);
        var signing = JsonWebKey.For(Read(() => PemKeys.ReadPrivate(signingFile), "--service-account-signing-key-file", signingFile));
        var verification = new List<JsonWebKey> { signing };
        foreach (var file in options.KeyFiles)
        {
            verification.AddRange(Read(() => PemKeys.Read(file), "--service-account-key-file", file).Select(JsonWebKey.For));
        }
        IReadOnlyList<string> issuers = options.Issuers.Count > 0 ? options.Issuers : [ServiceAccountTokenConfig.DefaultIssuer];
        return new ServiceAccountTokenConfig
        {
            Issuers = issuers,
            SigningKey = signing,
            // A key given both as the signing key and in a key file is listed once.
            VerificationKeys = [.. verification.DistinctBy(k => k.KeyId)],
            ApiAudiences = options.ApiAudiences.Count > 0 ? options.ApiAudiences : issuers,
            MaxExpiration = options.MaxTokenExpiration > TimeSpan.Zero ? options.MaxTokenExpiration : null,
            ExtendExpiration = options.ExtendTokenExpiration,
            JwksUri = options.JwksUri,
        };
    }

    private static T Read<T>(Func<T> read, string flag, string file)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException or IOException)
        {
            throw new ArgumentException($"{flag} \"{file}\": {e.Message}", e);
        }
    }

    /// <summary>The generated key's path, generating it (RSA 2048, PKCS#1 PEM, owner-only) when missing.</summary>
    private static string EnsureKey(string pkiDir)
    {
        var path = Path.Combine(pkiDir, KeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(pkiDir);
            using var rsa = RSA.Create(2048);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, rsa.ExportRSAPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            // Renamed into place, so that a crash never leaves half a key to be reused.
            File.Move(temporary, path, overwrite: true);
        }
        return path;
    }
}
