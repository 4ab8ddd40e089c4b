using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>A user as the review APIs write it (<c>authentication.k8s.io/v1 UserInfo</c>).</summary>
public static class UserInfoJson
{
    /// <summary><c>username</c>, and <c>uid</c>, <c>groups</c> and <c>extra</c> when not empty.</summary>
    public static JsonObject From(UserInfo user)
    {
        var userInfo = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            userInfo["uid"] = user.Uid;
        }
        if (user.Groups.Count > 0)
        {
            userInfo["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)JsonValue.Create(g))]);
        }
        if (user.Extra is { Count: > 0 } extra)
        {
            userInfo["extra"] = new JsonObject(extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))]))));
        }
        return userInfo;
    }
}
