using System.Text.RegularExpressions;
using Apiserver.Generic.Validation;

namespace Apiserver.Kube.Validation;

/// <summary>
/// Qualified names (<c>example.com/MyName</c>): label keys, provisioners, lease strategies. The
/// messages are those of Kubernetes' <c>validation.IsQualifiedName</c>.
/// </summary>
public static partial class QualifiedName
{
    private const string NamePattern = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string NameRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" + NamePattern + "')";

    [GeneratedRegex("^" + NamePattern + "$")]
    private static partial Regex NameRegex();

    /// <summary>The problems of <paramref name="value"/> as a qualified name, or none.</summary>
    public static IReadOnlyList<string> Validate(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(NameValidation.IsDns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
                }
                break;
            default:
                return ["a qualified name " + NameRule + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
        }
        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            errors.Add("name part must be no more than 63 characters");
        }
        if (!NameRegex().IsMatch(name))
        {
            errors.Add("name part " + NameRule);
        }
        return errors;
    }
}
