using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The opaque <c>continue</c> token of a paginated list: the revision every page is read at and
/// the last key returned, relative to the list's prefix (the shape kube-apiserver uses).
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long revision, string lastKeyRelative)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = lastKeyRelative + "\u0000" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long Revision, string StartAfterRelative) Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var json = JsonNode.Parse(Convert.FromBase64String(b64)) as JsonObject;
            if (json?["v"]?.GetValue<string>() != "meta.k8s.io/v1" || json["rv"] is null || json["start"] is null)
            {
                throw new FormatException();
            }
            var start = json["start"]!.GetValue<string>();
            // A key relative to the prefix may not escape it.
            if (start.StartsWith('/') || start.Contains(".."))
            {
                throw new FormatException();
            }
            return (json["rv"]!.GetValue<long>(), start.TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw StatusException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
