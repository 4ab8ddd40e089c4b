namespace Apiserver.Generic.Authentication;

/// <summary>Keys carried in header names (impersonation and proxy extras).</summary>
internal static class HeaderKeys
{
    /// <summary>
    /// The extra key a header name suffix carries: lower-cased, then percent-decoded (header names
    /// cannot hold every character of a key, so clients encode them); kept as is when malformed.
    /// </summary>
    public static string ExtraKey(string suffix)
    {
        var key = suffix.ToLowerInvariant();
        try
        {
            return Uri.UnescapeDataString(key);
        }
        catch (UriFormatException)
        {
            return key;
        }
    }
}
