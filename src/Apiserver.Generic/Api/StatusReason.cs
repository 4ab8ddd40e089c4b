namespace Apiserver.Generic.Api;

/// <summary>The machine-readable reasons of a <c>metav1.Status</c>, as kube-apiserver spells them.</summary>
public static class StatusReason
{
#pragma warning disable CS1591 // The names are the documentation: each is the reason string itself.
    public const string BadRequest = "BadRequest";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string NotAcceptable = "NotAcceptable";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Gone = "Gone";
    public const string Expired = "Expired";
    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string Invalid = "Invalid";
    public const string TooManyRequests = "TooManyRequests";
    public const string InternalError = "InternalError";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string Timeout = "Timeout";
#pragma warning restore CS1591
}
