using System.Text;
using Apiserver.Generic.Server.Certificates;

namespace KubeApiserver;

/// <summary>Writes the admin kubeconfig that <c>kubectl --kubeconfig</c> uses.</summary>
internal static class Kubeconfig
{
    public const string FileName = "admin.kubeconfig";

    public static string Write(string dataDir, Uri server, string caPem, ClientCertificate admin)
    {
        var clientCertificate = Convert.ToBase64String(Encoding.UTF8.GetBytes(admin.CertificatePem));
        var clientKey = Convert.ToBase64String(Encoding.UTF8.GetBytes(admin.KeyPem));
        var path = Path.GetFullPath(Path.Combine(dataDir, FileName));
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-apiserver
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {ca}
            users:
            - name: admin
              user:
                client-certificate-data: {clientCertificate}
                client-key-data: {clientKey}
            contexts:
            - name: admin@kube-apiserver
              context:
                cluster: kube-apiserver
                user: admin
                namespace: default
            current-context: admin@kube-apiserver
            preferences: {"{}"}

            """;
        File.WriteAllText(path, yaml);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
