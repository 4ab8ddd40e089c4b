using System.Security.Cryptography;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Server.Certificates;

namespace KubeApiserver;

/// <summary>
/// The administrator's credentials, generated on first start and reused afterwards: a bearer token
/// in <c>&lt;data-dir&gt;/admin-token.csv</c> (the <c>--token-auth-file</c> format), and a client
/// certificate (<c>CN=kubernetes-admin, O=system:masters</c>, as kubeadm's) in the certificate directory.
/// </summary>
internal static class AdminCredentials
{
    public const string FileName = "admin-token.csv";

    public const string CertificateName = "admin";

    public static readonly UserInfo Admin = new("admin", "admin", [UserInfo.MastersGroup]);

    /// <summary>The user the admin client certificate names.</summary>
    public static readonly UserInfo CertificateUser = new("kubernetes-admin", "", [UserInfo.MastersGroup]);

    /// <summary>The admin client certificate, <c>admin.crt</c>/<c>admin.key</c> in <paramref name="pkiDir"/>, signed by the CA there.</summary>
    public static ClientCertificate EnsureCertificate(string pkiDir) =>
        ClientCertificates.Ensure(pkiDir, CertificateName,
            Path.Combine(pkiDir, SelfSignedCertificates.CaCertFile), Path.Combine(pkiDir, SelfSignedCertificates.CaKeyFile),
            CertificateUser.Name, CertificateUser.Groups);

    public static (string Token, IReadOnlyDictionary<string, UserInfo> Table) Ensure(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            File.WriteAllText(path, TokenFile.Line(token, Admin) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        var table = TokenFile.Read(path);
        return (table.First(kv => kv.Value.Name == Admin.Name).Key, table);
    }
}
