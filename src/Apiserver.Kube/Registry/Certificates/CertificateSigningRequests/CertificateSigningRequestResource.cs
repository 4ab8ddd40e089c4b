using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Certificates.CertificateSigningRequests;

/// <summary>
/// The <c>certificatesigningrequests</c> resource of certificates.k8s.io/v1, with <c>status</c> and
/// <c>approval</c> subresources (a <see cref="Generic.Registry.Generic.SubresourceStore"/> over <see cref="CsrConditions"/>). As kube's strategy: the spec
/// cannot change after create, the requestor's identity is the server's to set (<see cref="CsrStore"/>).
/// </summary>
public static class CertificateSigningRequestResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("certificates.k8s.io", "v1", "CertificateSigningRequest"), "certificatesigningrequests", "certificatesigningrequest", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1CertificateSigningRequest)),
        Typed = true,
        Protobuf = CertificatesV1Messages.CertificateSigningRequest,
        ShortNames = ["csr"],
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            TableColumn.AgeColumn,
            new("SignerName", "string", "Name of the signer", obj => obj["spec"]?["signerName"]?.ToString() ?? ""),
            new("Requestor", "string", "Request originator", obj => obj["spec"]?["username"]?.ToString() ?? ""),
            new("RequestedDuration", "string", "Requested certificate duration",
                obj => WorkloadValidation.Integer(obj["spec"]?["expirationSeconds"]) is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : "<none>"),
            new("Condition", "string", "State of the request", Condition),
        ],
    };

    /// <summary>kube's <c>extractCSRStatus</c>: Denied, Approved or Pending, then Failed and Issued.</summary>
    private static JsonNode Condition(JsonObject csr)
    {
        var status = CsrConditions.Has(csr, CsrConditions.Denied) ? "Denied" : CsrConditions.Has(csr, CsrConditions.Approved) ? "Approved" : "Pending";
        if (CsrConditions.Has(csr, CsrConditions.Failed)) status += ",Failed";
        if (csr["status"]?["certificate"]?.ToString() is { Length: > 0 }) status += ",Issued";
        return status;
    }

    private sealed class Strategy : IRestStrategy
    {
        // Users cannot create pre-approved requests.
        public void PrepareForCreate(JsonObject obj) => obj["status"] = new JsonObject();

        // Updates of the main resource change metadata only.
        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            if (old["spec"] is { } spec) obj["spec"] = spec.DeepClone();
        }

        public void Validate(JsonObject obj, List<FieldError> errors) => CsrValidation.ValidateSpec(obj, errors);

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors) => CsrValidation.ValidateConditions(obj, old, errors);

        public string? GetSelectableField(JsonObject obj, string field) =>
            field == "spec.signerName" ? obj["spec"]?["signerName"]?.ToString() ?? "" : null;
    }
}
