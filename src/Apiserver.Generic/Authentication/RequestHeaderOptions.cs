namespace Apiserver.Generic.Authentication;

/// <summary>What an authenticating proxy sends (<c>--requestheader-*</c>).</summary>
/// <param name="UsernameHeaders">Headers naming the user, first non-empty wins (e.g. <c>X-Remote-User</c>).</param>
/// <param name="UidHeaders">Headers naming the uid, first non-empty wins.</param>
/// <param name="GroupHeaders">Headers naming groups, every value of each.</param>
/// <param name="ExtraHeaderPrefixes">Prefixes of headers naming extras (e.g. <c>X-Remote-Extra-</c>); the rest of the name, lower-cased and percent-decoded, is the key.</param>
/// <param name="AllowedNames">Common names the proxy's certificate may have; empty allows any certificate from the CA.</param>
public sealed record RequestHeaderOptions(
    IReadOnlyList<string> UsernameHeaders,
    IReadOnlyList<string> UidHeaders,
    IReadOnlyList<string> GroupHeaders,
    IReadOnlyList<string> ExtraHeaderPrefixes,
    IReadOnlyList<string> AllowedNames);
