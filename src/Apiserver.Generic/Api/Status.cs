using System.Text.Json.Nodes;

namespace Apiserver.Generic.Api;

/// <summary>Builds <c>metav1.Status</c> objects.</summary>
public static class Status
{
    /// <summary>A failure status.</summary>
    public static JsonObject Failure(int code, string reason, string message, StatusDetails? details = null)
    {
        var status = Base("Failure");
        status["message"] = message;
        status["reason"] = reason;
        if (details is not null)
        {
            status["details"] = ToJson(details);
        }
        status["code"] = code;
        return status;
    }

    /// <summary>A success status, as a delete that does not return the object answers.</summary>
    public static JsonObject Success(StatusDetails? details = null)
    {
        var status = Base("Success");
        if (details is not null)
        {
            status["details"] = ToJson(details);
        }
        return status;
    }

    private static JsonObject Base(string outcome) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = outcome,
    };

    private static JsonObject ToJson(StatusDetails details)
    {
        var json = new JsonObject();
        if (details.Name is not null) json["name"] = details.Name;
        if (!string.IsNullOrEmpty(details.Group)) json["group"] = details.Group;
        if (details.Kind is not null) json["kind"] = details.Kind;
        if (details.Uid is not null) json["uid"] = details.Uid;
        if (details.Causes is { Count: > 0 })
        {
            var causes = new JsonArray();
            foreach (var cause in details.Causes)
            {
                var c = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
                if (cause.Field is not null) c["field"] = cause.Field;
                causes.Add(c);
            }
            json["causes"] = causes;
        }
        if (details.RetryAfterSeconds is { } retry) json["retryAfterSeconds"] = retry;
        return json;
    }
}
