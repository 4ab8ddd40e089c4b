using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;

/// <summary>kube's <c>ValidateCertificateSigningRequestCreate</c> and the condition rules of its updates.</summary>
internal static class CsrValidation
{
    private static readonly string[] Usages =
    [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ];
    private static readonly string[] ConditionStatuses = ["False", "True", "Unknown"];

    public static void ValidateSpec(JsonObject csr, List<FieldError> errors)
    {
        var spec = csr["spec"] as JsonObject ?? [];
        if (spec["request"]?.ToString() is not { Length: > 0 } request)
        {
            errors.Add(FieldError.Required("spec.request"));
        }
        else if (ParseRequest(request) is { } problem)
        {
            errors.Add(FieldError.Invalid("spec.request", "<request>", problem));
        }
        var signer = spec["signerName"]?.ToString() ?? "";
        if (signer.Length == 0)
        {
            errors.Add(FieldError.Required("spec.signerName"));
        }
        else if (SignerNameProblem(signer) is { } problem)
        {
            errors.Add(FieldError.Invalid("spec.signerName", signer, problem));
        }
        if (WorkloadValidation.Integer(spec["expirationSeconds"]) is < 600 and var seconds)
        {
            errors.Add(FieldError.Invalid("spec.expirationSeconds", JsonValue.Create(seconds), "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        var usages = (spec["usages"] as JsonArray ?? []).Select(u => u?.ToString() ?? "").ToList();
        if (usages.Count == 0)
        {
            errors.Add(FieldError.Required("spec.usages"));
        }
        var seen = new HashSet<string>();
        for (var i = 0; i < usages.Count; i++)
        {
            if (!Usages.Contains(usages[i]))
            {
                errors.Add(FieldError.NotSupported($"spec.usages[{i}]", usages[i], Usages));
            }
            else if (!seen.Add(usages[i]))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"spec.usages[{i}]", JsonValue.Create(usages[i]), ""));
            }
        }
    }

    /// <summary>The rules of <c>status.conditions</c>: a type and a known status each, Approved/Denied/Failed only True, no repeats, not both approved and denied.</summary>
    public static void ValidateConditions(JsonObject csr, JsonObject? old, List<FieldError> errors)
    {
        var conditions = (csr["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var types = new HashSet<string>();
        for (var i = 0; i < conditions.Count; i++)
        {
            var path = $"status.conditions[{i}]";
            var type = conditions[i]["type"]?.ToString() ?? "";
            var status = conditions[i]["status"]?.ToString() ?? "";
            if (type.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.type"));
            }
            if (status.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.status"));
            }
            else if (type is CsrConditions.Approved or CsrConditions.Denied or CsrConditions.Failed ? status != "True" : !ConditionStatuses.Contains(status))
            {
                errors.Add(FieldError.NotSupported($"{path}.status", status,
                    type is CsrConditions.Approved or CsrConditions.Denied or CsrConditions.Failed ? ["True"] : ConditionStatuses));
            }
            if (type is CsrConditions.Approved or CsrConditions.Denied or CsrConditions.Failed && !types.Add(type))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.type", JsonValue.Create(type), ""));
            }
        }
        if (types.Contains(CsrConditions.Approved) && types.Contains(CsrConditions.Denied))
        {
            errors.Add(FieldError.Invalid("status.conditions", "", "Approved and Denied conditions are mutually exclusive"));
        }
        foreach (var kept in new[] { CsrConditions.Approved, CsrConditions.Denied })
        {
            if (old is not null && CsrConditions.Has(old, kept) && !types.Contains(kept))
            {
                errors.Add(FieldError.Forbidden("status.conditions", $"updates may not remove a condition of type \"{kept}\""));
            }
        }
        if (csr["status"]?["certificate"]?.ToString() is { Length: > 0 } certificate && CertificateProblem(certificate) is { } problem)
        {
            errors.Add(FieldError.Invalid("status.certificate", "<certificate data>", problem));
        }
    }

    /// <summary>kube's <c>ParseCSR</c> and signature check, on the base64 of the PEM: null when fine.</summary>
    private static string? ParseRequest(string base64)
    {
        string pem;
        try
        {
            pem = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "CERTIFICATE REQUEST")
        {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        try
        {
            CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            return null;
        }
        catch (CryptographicException e)
        {
            return $"x509: {e.Message}";
        }
    }

    private static string? CertificateProblem(string base64)
    {
        try
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            var found = false;
            foreach (var block in PemBlocks(pem))
            {
                if (block.Label != "CERTIFICATE")
                {
                    return "only CERTIFICATE PEM blocks are allowed, found \"" + block.Label + "\"";
                }
                X509CertificateLoader.LoadCertificate(Convert.FromBase64String(block.Base64));
                found = true;
            }
            return found ? null : "must contain at least one CERTIFICATE PEM block";
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return "must contain at least one CERTIFICATE PEM block";
        }
    }

    private static IEnumerable<(string Label, string Base64)> PemBlocks(string pem)
    {
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            yield return (rest.Span[fields.Label].ToString(), rest.Span[fields.Base64Data].ToString());
            rest = rest[fields.Location.End..];
        }
    }

    /// <summary>kube's signer name rule: <c>domain/path</c>, the domain a DNS subdomain, the path non-empty.</summary>
    private static string? SignerNameProblem(string signer)
    {
        var slash = signer.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == signer.Length - 1)
        {
            return "must be a fully qualified domain and path of the form 'example.com/signer-name'";
        }
        var domain = signer[..slash];
        if (NameValidation.IsDns1123Subdomain(domain).Count > 0 || !domain.Contains('.', StringComparison.Ordinal))
        {
            return "must be a fully qualified domain and path of the form 'example.com/signer-name'";
        }
        return null;
    }
}
