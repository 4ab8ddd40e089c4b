using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;

/// <summary>
/// The condition rules of a CSR's two write paths (kube's <c>csrStatusStrategy</c> and
/// <c>csrApprovalStrategy</c>): <c>status</c> changes everything but Approved and Denied, <c>approval</c>
/// changes only those; both keep the spec and stamp the times of new or changed conditions.
/// </summary>
internal static class CsrConditions
{
    public const string Approved = "Approved", Denied = "Denied", Failed = "Failed";

    public static bool Has(JsonObject csr, string type) => Conditions(csr).Any(c => c["type"]?.ToString() == type);

    /// <summary>The object a <c>status</c> write stores: the request's status with the stored approval conditions.</summary>
    public static JsonObject ForStatus(JsonObject stored, JsonObject requested) =>
        Merge(stored, requested, fromRequest: c => !IsApproval(c), takeCertificate: true);

    /// <summary>The object an <c>approval</c> write stores: the stored status with the request's approval conditions.</summary>
    public static JsonObject ForApproval(JsonObject stored, JsonObject requested) =>
        Merge(stored, requested, fromRequest: IsApproval, takeCertificate: false);

    private static bool IsApproval(JsonObject condition) => condition["type"]?.ToString() is Approved or Denied;

    private static JsonObject Merge(JsonObject stored, JsonObject requested, Func<JsonObject, bool> fromRequest, bool takeCertificate)
    {
        var result = (JsonObject)stored.DeepClone();
        var old = Conditions(stored).ToList();
        var conditions = new JsonArray();
        // The request's conditions of the kind this path owns, in its order, then the stored ones of the other kind.
        foreach (var condition in Conditions(requested).Where(fromRequest))
        {
            var copy = (JsonObject)condition.DeepClone();
            Stamp(copy, old.FirstOrDefault(o => o["type"]?.ToString() == copy["type"]?.ToString()));
            conditions.Add(copy);
        }
        foreach (var condition in old.Where(c => !fromRequest(c)))
        {
            conditions.Add(condition.DeepClone());
        }
        var status = new JsonObject();
        if (conditions.Count > 0)
        {
            status["conditions"] = conditions;
        }
        var certificate = takeCertificate ? requested["status"]?["certificate"] : stored["status"]?["certificate"];
        if (certificate is not null)
        {
            status["certificate"] = certificate.DeepClone();
        }
        result["status"] = status;
        return result;
    }

    /// <summary>kube's <c>populateConditionTimestamps</c>: a missing lastUpdateTime is now; lastTransitionTime is now when the status changed.</summary>
    private static void Stamp(JsonObject condition, JsonObject? old)
    {
        var now = ObjectMeta.FormatTime(DateTimeOffset.UtcNow);
        if (condition["lastUpdateTime"] is null)
        {
            condition["lastUpdateTime"] = now;
        }
        if (condition["lastTransitionTime"] is null)
        {
            condition["lastTransitionTime"] = old is not null && old["status"]?.ToString() == condition["status"]?.ToString()
                ? old["lastTransitionTime"]?.DeepClone() ?? now
                : now;
        }
    }

    private static IEnumerable<JsonObject> Conditions(JsonObject csr) => (csr["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>();
}
