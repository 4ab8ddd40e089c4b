using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>
/// A JSON Web Token in JWS compact form (<c>header.payload.signature</c>), parsed but not verified:
/// <see cref="JwtVerifier"/> decides whether to believe it.
/// </summary>
public sealed class JsonWebToken
{
    private JsonWebToken(JsonObject header, JsonObject payload, string signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The JOSE header (<c>alg</c>, <c>kid</c>, …).</summary>
    public JsonObject Header { get; }

    /// <summary>The claims.</summary>
    public JsonObject Payload { get; }

    /// <summary>The signed bytes' text: <c>base64url(header).base64url(payload)</c>.</summary>
    public string SigningInput { get; }

    /// <summary>The signature.</summary>
    public byte[] Signature { get; }

    /// <summary>The signing algorithm the header names (<c>RS256</c>, <c>ES256</c>, …).</summary>
    public string Algorithm => Header["alg"] is JsonValue v && v.TryGetValue<string>(out var alg) ? alg : "";

    /// <summary>The key id the header names, or null.</summary>
    public string? KeyId => Header["kid"] is JsonValue v && v.TryGetValue<string>(out var kid) ? kid : null;

    /// <summary>The <c>iss</c> claim, or null.</summary>
    public string? Issuer => StringClaim("iss");

    /// <summary>The <c>aud</c> claim: one string or an array of them.</summary>
    public IReadOnlyList<string> Audiences => Payload["aud"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var one) => [one],
        JsonArray a => [.. a.Select(e => e is JsonValue s && s.TryGetValue<string>(out var aud) ? aud : null).OfType<string>()],
        _ => [],
    };

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? StringClaim(string name) => Payload[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A NumericDate claim (<c>exp</c>, <c>nbf</c>, <c>iat</c>), or null when absent or not a number.</summary>
    public DateTimeOffset? TimeClaim(string name) =>
        Payload[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var seconds) && double.IsFinite(seconds)
            ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(seconds, -62135596800, 253402300799))
            : null;

    /// <summary>Parses a compact JWS; false when <paramref name="token"/> is not one (so not a JWT at all).</summary>
    public static bool TryParse(string token, out JsonWebToken? jwt)
    {
        jwt = null;
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }
        try
        {
            if (JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) is not JsonObject header
                || JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) is not JsonObject payload)
            {
                return false;
            }
            jwt = new JsonWebToken(header, payload, $"{parts[0]}.{parts[1]}", Base64Url.DecodeFromChars(parts[2]));
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Encodes and signs <paramref name="payload"/> with <paramref name="key"/> as a compact JWS.</summary>
    public static string Create(JsonObject payload, JsonWebKey key)
    {
        var header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = key.KeyId };
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = JwtAlgorithms.Sign(key, Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(JsonObject obj) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(obj.ToJsonString()));
}
