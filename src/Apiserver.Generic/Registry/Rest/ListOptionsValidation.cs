using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>The combinations of list and watch options kube-apiserver refuses, with its wording (a 422 on <c>ListOptions.meta.k8s.io</c>).</summary>
public static class ListOptionsValidation
{
    private const string Exact = "Exact", NotOlderThan = "NotOlderThan";

    /// <summary>Throws a 422 <see cref="StatusException"/> listing every problem of <paramref name="options"/>.</summary>
    public static void Validate(ListOptions options, bool watch)
    {
        var errors = new List<FieldError>();
        var match = options.ResourceVersionMatch ?? "";
        var hasContinue = !string.IsNullOrEmpty(options.Continue);
        if (watch)
        {
            if (options.SendInitialEvents is not null)
            {
                if (match != NotOlderThan)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", $"sendInitialEvents requires setting resourceVersionMatch to {NotOlderThan}"));
                }
                if (!options.AllowWatchBookmarks)
                {
                    errors.Add(FieldError.Forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"));
                }
            }
            if (match.Length > 0)
            {
                if (options.SendInitialEvents is null)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
                }
                if (match != NotOlderThan)
                {
                    errors.Add(FieldError.NotSupported("resourceVersionMatch", match, [NotOlderThan]));
                }
                if (hasContinue)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                }
            }
        }
        else
        {
            if (match.Length > 0)
            {
                if (string.IsNullOrEmpty(options.ResourceVersion))
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
                }
                if (hasContinue)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                }
                if (match is not (Exact or NotOlderThan))
                {
                    errors.Add(FieldError.NotSupported("resourceVersionMatch", match, [Exact, NotOlderThan, ""]));
                }
                if (match == Exact && options.ResourceVersion == "0")
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
                }
            }
            if (options.SendInitialEvents is not null)
            {
                errors.Add(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
            }
        }
        if (options.Limit < 0)
        {
            errors.Add(FieldError.Invalid("limit", System.Text.Json.Nodes.JsonValue.Create(options.Limit), "must be greater than or equal to 0"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(new GroupVersionKind("meta.k8s.io", "v1", "ListOptions"), "", errors);
        }
    }
}
