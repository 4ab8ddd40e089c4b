using System.Text.RegularExpressions;

namespace Apiserver.Generic.Validation;

/// <summary>The name formats of Kubernetes objects, with kube-apiserver's error messages.</summary>
public static partial class NameValidation
{
    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainPattern = LabelPattern + "(\\." + LabelPattern + ")*";

    [GeneratedRegex("^" + LabelPattern + "$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + SubdomainPattern + "$")]
    private static partial Regex Dns1123Subdomain();

    /// <summary>Checks an RFC 1123 subdomain (most object names): the problems, or none.</summary>
    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > 253)
        {
            errors.Add("must be no more than 253 characters");
        }
        if (!Dns1123Subdomain().IsMatch(value))
        {
            errors.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + SubdomainPattern + "')");
        }
        return errors;
    }

    /// <summary>Checks an RFC 1123 label (namespace names): the problems, or none.</summary>
    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > 63)
        {
            errors.Add("must be no more than 63 characters");
        }
        if (!Dns1123Label().IsMatch(value))
        {
            errors.Add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '" + LabelPattern + "')");
        }
        return errors;
    }

    /// <summary>Checks a name used as a URL path segment: the problems, or none.</summary>
    public static IReadOnlyList<string> IsValidPathSegmentName(string value)
    {
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }
        return value.Contains('/') ? ["may not contain '/'"] : value.Contains('%') ? ["may not contain '%'"] : [];
    }
}
