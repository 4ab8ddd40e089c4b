namespace Apiserver.Generic.Api;

/// <summary>One cause of a failure, such as one invalid field (<c>metav1.StatusCause</c>).</summary>
/// <param name="Reason">The cause's reason, e.g. <c>FieldValueInvalid</c>.</param>
/// <param name="Message">A human-readable description.</param>
/// <param name="Field">The field path, e.g. <c>metadata.name</c>, when the cause is a field.</param>
public sealed record StatusCause(string Reason, string Message, string? Field = null);

/// <summary>Which object a failure concerns (<c>metav1.StatusDetails</c>).</summary>
/// <param name="Name">The object's name.</param>
/// <param name="Group">The API group of the resource.</param>
/// <param name="Kind">The kind or resource named in the failure.</param>
/// <param name="Causes">Field-level causes.</param>
/// <param name="RetryAfterSeconds">Suggested client back-off.</param>
/// <param name="Uid">The object's uid.</param>
public sealed record StatusDetails(
    string? Name = null,
    string? Group = null,
    string? Kind = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int? RetryAfterSeconds = null,
    string? Uid = null);
