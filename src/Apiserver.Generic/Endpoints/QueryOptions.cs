using System.Globalization;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>Reads the query parameters of each verb into its options.</summary>
public static class QueryOptions
{
    /// <summary>The list and watch parameters.</summary>
    public static ListOptions List(IQueryCollection query) => new()
    {
        LabelSelector = Value(query, "labelSelector"),
        FieldSelector = Value(query, "fieldSelector"),
        Limit = Integer(query, "limit") ?? 0,
        Continue = Value(query, "continue"),
        ResourceVersion = Value(query, "resourceVersion"),
        ResourceVersionMatch = Value(query, "resourceVersionMatch"),
        AllowWatchBookmarks = Boolean(query, "allowWatchBookmarks"),
        Timeout = Integer(query, "timeoutSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        SendInitialEvents = Value(query, "sendInitialEvents") is { } initial ? initial is "true" or "1" or "True" : null,
    };

    /// <summary>Whether <c>dryRun=All</c> was asked for; any other value is a 400.</summary>
    public static bool DryRun(IQueryCollection query)
    {
        var values = query["dryRun"];
        foreach (var v in values)
        {
            if (v != "All")
            {
                throw StatusException.Invalid(new GroupVersionKind("meta.k8s.io", "v1", "CreateOptions"), "",
                    [FieldError.NotSupported("dryRun", v, ["All"])]);
            }
        }
        return values.Count > 0;
    }

    /// <summary>The <c>fieldValidation</c> directive: Strict, Warn (the default) or Ignore; anything else is a 400.</summary>
    public static string FieldValidation(IQueryCollection query)
    {
        var value = Value(query, "fieldValidation");
        return value switch
        {
            null or "" => "Warn",
            "Strict" or "Warn" or "Ignore" => value,
            _ => throw StatusException.BadRequest($"fieldValidation directive \"{value}\" is invalid: it must be one of Ignore, Warn, Strict"),
        };
    }

    /// <summary>The delete options of the query string and the (optional) <c>DeleteOptions</c> body; invalid ones are a 422.</summary>
    public static DeleteOptions Delete(IQueryCollection query, JsonNode? body)
    {
        var b = body as JsonObject;
        var preconditions = b?["preconditions"] as JsonObject;
        var policy = b?["propagationPolicy"] is JsonValue p && p.TryGetValue<string>(out var fromBody) ? fromBody : Value(query, "propagationPolicy");
        var orphan = b?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var fromBodyOrphan) ? fromBodyOrphan
            : Value(query, "orphanDependents") is { } q ? q is "true" or "1" : (bool?)null;
        var errors = new List<FieldError>();
        if (orphan is not null && policy is not null)
        {
            errors.Add(FieldError.Invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (policy is not null and not ("Orphan" or "Background" or "Foreground"))
        {
            errors.Add(FieldError.NotSupported("propagationPolicy", policy, ["Foreground", "Background", "Orphan", "nil"]));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(new GroupVersionKind("meta.k8s.io", "v1", "DeleteOptions"), "", errors);
        }
        return new DeleteOptions(
            Preconditions: preconditions is null ? null : new Preconditions(preconditions["uid"]?.ToString(), preconditions["resourceVersion"]?.ToString()),
            GracePeriodSeconds: b?["gracePeriodSeconds"] is JsonValue g && g.TryGetValue<long>(out var grace) ? grace : Integer(query, "gracePeriodSeconds"),
            // The deprecated orphanDependents is a propagation policy by another name.
            PropagationPolicy: policy ?? (orphan is { } orphaning ? (orphaning ? "Orphan" : "Background") : null),
            DryRun: DryRun(query) || (b?["dryRun"] as JsonArray)?.Any(v => v?.ToString() == "All") == true);
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    private static long? Integer(IQueryCollection query, string name)
    {
        var text = Value(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StatusException.BadRequest($"invalid value for {name}: \"{text}\" is not an integer");
    }

    private static bool Boolean(IQueryCollection query, string name) =>
        Value(query, name) is "true" or "1" or "True";
}
