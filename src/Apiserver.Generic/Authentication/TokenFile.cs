
namespace Apiserver.Generic.Authentication;

/// <summary>
/// Reads a static token file (<c>--token-auth-file</c>): CSV lines
/// <c>token,user,uid,"group1,group2"</c>, the format kube-apiserver reads.
/// </summary>
public static class TokenFile
{
    /// <summary>The token → user table of the file.</summary>
    /// <exception cref="FormatException">A line is malformed.</exception>
    public static IReadOnlyDictionary<string, UserInfo> Read(string path)
    {
        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var fields = SplitCsv(line);
            if (fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new FormatException($"{path}:{lineNumber}: expected token,user,uid[,\"groups\"]");
            }
            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            users[fields[0]] = new UserInfo(fields[1], fields[2], groups);
        }
        return users;
    }

    /// <summary>A line of the file for one user.</summary>
    public static string Line(string token, UserInfo user) =>
        $"{token},{user.Name},{user.Uid},\"{string.Join(",", user.Groups.Where(g => g != UserInfo.AuthenticatedGroup))}\"";

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        fields.Add(current.ToString().Trim());
        return fields;
    }
}
