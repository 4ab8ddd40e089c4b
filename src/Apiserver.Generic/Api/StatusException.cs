using System.Text.Json.Nodes;

namespace Apiserver.Generic.Api;

/// <summary>
/// A failure that leaves the server as a <c>metav1.Status</c> body with its HTTP code. Everything a
/// client can cause is reported this way; anything else is a 500.
/// </summary>
public sealed class StatusException : Exception
{
    /// <summary>Creates a failure with the given code, reason and message.</summary>
    public StatusException(int code, string reason, string message, StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    /// <summary>The HTTP status code.</summary>
    public int Code { get; }

    /// <summary>The machine-readable reason (<see cref="StatusReason"/>).</summary>
    public string Reason { get; }

    /// <summary>Which object the failure concerns, and its causes.</summary>
    public StatusDetails? Details { get; }

    /// <summary>A continue token to offer in the Status's list metadata (an expired list's way on).</summary>
    public string? Continue { get; init; }

    /// <summary>The <c>Status</c> object to send.</summary>
    public JsonObject ToStatus()
    {
        var status = Status.Failure(Code, Reason, Message, Details);
        if (Continue is not null)
        {
            status["metadata"] = new JsonObject { ["continue"] = Continue };
        }
        return status;
    }

    /// <summary>404: the named object does not exist.</summary>
    public static StatusException NotFound(GroupResource resource, string name) =>
        new(404, StatusReason.NotFound, $"{resource} \"{name}\" not found",
            new StatusDetails(Name: name, Group: resource.Group, Kind: resource.Resource));

    /// <summary>409: an object of that name exists already.</summary>
    public static StatusException AlreadyExists(GroupResource resource, string name) =>
        new(409, StatusReason.AlreadyExists, $"{resource} \"{name}\" already exists",
            new StatusDetails(Name: name, Group: resource.Group, Kind: resource.Resource));

    /// <summary>409: the write lost a race or failed a precondition.</summary>
    public static StatusException Conflict(GroupResource resource, string name, string why) =>
        new(409, StatusReason.Conflict, $"Operation cannot be fulfilled on {resource} \"{name}\": {why}",
            new StatusDetails(Name: name, Group: resource.Group, Kind: resource.Resource));

    /// <summary>409 for an update whose resourceVersion is not the stored one.</summary>
    public static StatusException StaleUpdate(GroupResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>422: the object failed validation; one cause per field error.</summary>
    public static StatusException Invalid(GroupVersionKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        var summary = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        var causes = errors.Select(e => new StatusCause(e.CauseReason, e.Message, e.Field)).ToList();
        // The kind is named with its group, as schema.GroupKind prints it ("Deployment.apps").
        var qualified = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return new(422, StatusReason.Invalid, $"{qualified} \"{name}\" is invalid: {summary}",
            new StatusDetails(Name: name, Group: kind.Group, Kind: kind.Kind, Causes: causes));
    }

    /// <summary>400: the request is malformed.</summary>
    public static StatusException BadRequest(string message) => new(400, StatusReason.BadRequest, message);

    /// <summary>401: no valid credentials.</summary>
    public static StatusException Unauthorized() => new(401, StatusReason.Unauthorized, "Unauthorized");

    /// <summary>403: the user may not do this.</summary>
    public static StatusException Forbidden(GroupResource resource, string name, string why) =>
        new(403, StatusReason.Forbidden,
            name.Length == 0 ? $"{resource} is forbidden: {why}" : $"{resource} \"{name}\" is forbidden: {why}",
            new StatusDetails(Name: name.Length == 0 ? null : name, Group: resource.Group, Kind: resource.Resource));

    /// <summary>405: the resource does not support this verb.</summary>
    public static StatusException MethodNotAllowed() =>
        new(405, StatusReason.MethodNotAllowed, "the server does not allow this method on the requested resource");

    /// <summary>404 for a path no server in the chain serves.</summary>
    public static StatusException PathNotFound() =>
        new(404, StatusReason.NotFound, "the server could not find the requested resource");

    /// <summary>410: the resource version asked for has been compacted.</summary>
    public static StatusException Expired(string message) => new(410, StatusReason.Expired, message);

    /// <summary>406: no representation the client accepts.</summary>
    public static StatusException NotAcceptable(string message) => new(406, StatusReason.NotAcceptable, message);

    /// <summary>415: the body's media type is not supported.</summary>
    public static StatusException UnsupportedMediaType(string contentType) =>
        new(415, StatusReason.UnsupportedMediaType, $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got \"{contentType}\")");

    /// <summary>413: the body exceeds the limit.</summary>
    public static StatusException RequestEntityTooLarge(long limit) =>
        new(413, StatusReason.RequestEntityTooLarge, $"the request body is larger than the limit of {limit} bytes");

    /// <summary>503: try again later.</summary>
    public static StatusException ServiceUnavailable(string message, int retryAfterSeconds = 1) =>
        new(503, StatusReason.ServiceUnavailable, message, new StatusDetails(RetryAfterSeconds: retryAfterSeconds));

    /// <summary>500: an unexpected server fault (never caused by client input).</summary>
    public static StatusException Internal(string message) => new(500, StatusReason.InternalError, message);
}
