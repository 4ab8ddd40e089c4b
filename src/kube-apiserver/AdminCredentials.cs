using System.Security.Cryptography;
using Apiserver.Generic.Authentication;

namespace KubeApiserver;

/// <summary>
/// The administrator's bearer token, generated on first start into <c>&lt;data-dir&gt;/admin-token.csv</c>
/// (the <c>--token-auth-file</c> format) and reused afterwards.
/// </summary>
internal static class AdminCredentials
{
    public const string FileName = "admin-token.csv";

    public static readonly UserInfo Admin = new("admin", "admin", [UserInfo.MastersGroup]);

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
