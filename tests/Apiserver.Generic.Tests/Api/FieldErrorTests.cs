using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Api;

/// <summary>
/// <see cref="FieldError"/> and <see cref="StatusException.Invalid"/> render as kube's
/// <c>field.Error</c> and <c>errors.NewInvalid</c> do.
/// </summary>
[TestFixture]
public sealed class FieldErrorTests
{
    private static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");

    [Test]
    public void Required_WithoutDetail()
    {
        var e = FieldError.Required("metadata.name");
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo(FieldErrorType.Required));
            Assert.That(e.Message, Is.EqualTo("Required value"));
            Assert.That(e.ToString(), Is.EqualTo("metadata.name: Required value"));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueRequired"));
        });
    }

    [Test]
    public void Required_WithDetail()
    {
        var e = FieldError.Required("metadata.name", "name or generateName is required");
        Assert.That(e.ToString(), Is.EqualTo("metadata.name: Required value: name or generateName is required"));
    }

    [Test]
    public void Invalid_QuotesAStringValue()
    {
        var e = FieldError.Invalid("metadata.name", "Not_Valid", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters");
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo(FieldErrorType.Invalid));
            Assert.That(e.Message, Is.EqualTo("Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"));
            Assert.That(e.ToString(), Is.EqualTo("metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueInvalid"));
        });
    }

    [Test]
    public void Invalid_RendersNonStringValuesAsJson()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FieldError.Invalid("spec.replicas", JsonValue.Create(-1), "must be greater than or equal to 0").ToString(),
                Is.EqualTo("spec.replicas: Invalid value: -1: must be greater than or equal to 0"));
            Assert.That(FieldError.Invalid("immutable", JsonValue.Create(true), "field is immutable").ToString(),
                Is.EqualTo("immutable: Invalid value: true: field is immutable"));
            Assert.That(FieldError.Invalid("spec.x", (JsonNode?)null, "bad").ToString(),
                Is.EqualTo("spec.x: Invalid value: null: bad"));
            Assert.That(FieldError.Invalid("spec.x", (string?)null, "bad").ToString(),
                Is.EqualTo("spec.x: Invalid value: null: bad"));
        });
    }

    [Test]
    public void Invalid_EscapesQuotesButKeepsHtmlAndUnicode()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FieldError.Invalid("data[a\"b]", "a\"b", "bad").Message, Is.EqualTo("Invalid value: \"a\\\"b\": bad"));
            Assert.That(FieldError.Invalid("metadata.name", "<é>&", "bad").Message, Is.EqualTo("Invalid value: \"<é>&\": bad"));
        });
    }

    [Test]
    public void Invalid_WithoutDetail_EndsAtTheValue()
    {
        Assert.That(FieldError.Invalid("spec.x", "v", "").ToString(), Is.EqualTo("spec.x: Invalid value: \"v\""));
    }

    [Test]
    public void NotSupported_ListsTheSupportedValues()
    {
        var e = FieldError.NotSupported("spec.type", "Fancy", ["ClusterIP", "NodePort", "LoadBalancer"]);
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo(FieldErrorType.NotSupported));
            Assert.That(e.ToString(), Is.EqualTo("spec.type: Unsupported value: \"Fancy\": supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\""));
            Assert.That(e.Message, Is.EqualTo("Unsupported value: \"Fancy\": supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\""));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueNotSupported"));
        });
    }

    [Test]
    public void Forbidden_ShowsNoValue()
    {
        var e = FieldError.Forbidden("spec.finalizers", "may not be changed");
        Assert.Multiple(() =>
        {
            Assert.That(e.ToString(), Is.EqualTo("spec.finalizers: Forbidden: may not be changed"));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueForbidden"));
        });
    }

    [Test]
    public void Duplicate_ShowsTheValue()
    {
        var e = new FieldError(FieldErrorType.Duplicate, "secrets[1].name", JsonValue.Create("a"), "");
        Assert.Multiple(() =>
        {
            Assert.That(e.ToString(), Is.EqualTo("secrets[1].name: Duplicate value: \"a\""));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueDuplicate"));
        });
    }

    [Test]
    public void TooLong_ShowsTheDetail()
    {
        var e = new FieldError(FieldErrorType.TooLong, "data", null, "must have at most 1048576 bytes");
        Assert.Multiple(() =>
        {
            Assert.That(e.ToString(), Is.EqualTo("data: Too long: must have at most 1048576 bytes"));
            Assert.That(e.CauseReason, Is.EqualTo("FieldValueTooLong"));
        });
    }

    [Test]
    public void Immutable_IsInvalidWithKubesDetail()
    {
        var e = FieldError.Immutable("type", JsonValue.Create("kubernetes.io/tls"));
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo(FieldErrorType.Invalid));
            Assert.That(e.ToString(), Is.EqualTo("type: Invalid value: \"kubernetes.io/tls\": field is immutable"));
        });
    }

    [Test]
    public void StatusInvalid_OneError_IsTheErrorItself()
    {
        var error = FieldError.Invalid("metadata.name", "x", "detail");
        var e = StatusException.Invalid(ConfigMap, "x", [error]);
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(422));
            Assert.That(e.Reason, Is.EqualTo(StatusReason.Invalid));
            Assert.That(e.Message, Is.EqualTo("ConfigMap \"x\" is invalid: metadata.name: Invalid value: \"x\": detail"));
            Assert.That(e.Details?.Name, Is.EqualTo("x"));
            Assert.That(e.Details?.Kind, Is.EqualTo("ConfigMap"));
            Assert.That(e.Details?.Group, Is.EqualTo(""));
            Assert.That(e.Details?.Causes, Is.EqualTo(new[] { new StatusCause("FieldValueInvalid", "Invalid value: \"x\": detail", "metadata.name") }));
        });
    }

    [Test]
    public void StatusInvalid_SeveralErrors_AreBracketedAndCommaSeparated()
    {
        var errors = new[]
        {
            FieldError.Required("metadata.name", "name or generateName is required"),
            FieldError.Invalid("data[a b]", "a b", "a valid config key must consist of alphanumeric characters"),
            FieldError.NotSupported("type", "X", ["A"]),
        };
        var e = StatusException.Invalid(ConfigMap, "cm", errors);
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Is.EqualTo(
                "ConfigMap \"cm\" is invalid: [metadata.name: Required value: name or generateName is required, " +
                "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, " +
                "type: Unsupported value: \"X\": supported values: \"A\"]"));
            Assert.That(e.Details?.Causes?.Select(c => c.Reason), Is.EqualTo(new[] { "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported" }));
            Assert.That(e.Details?.Causes?.Select(c => c.Field), Is.EqualTo(new[] { "metadata.name", "data[a b]", "type" }));
            Assert.That(e.Details?.Causes?[0].Message, Is.EqualTo("Required value: name or generateName is required"));
        });
    }

    [Test]
    public void StatusInvalid_ToStatus_IsA422StatusWithCauses()
    {
        var status = StatusException.Invalid(ConfigMap, "cm", [FieldError.Required("metadata.name")]).ToStatus();
        Assert.Multiple(() =>
        {
            Assert.That(status["kind"]?.ToString(), Is.EqualTo("Status"));
            Assert.That(status["apiVersion"]?.ToString(), Is.EqualTo("v1"));
            Assert.That(status["status"]?.ToString(), Is.EqualTo("Failure"));
            Assert.That(status["reason"]?.ToString(), Is.EqualTo("Invalid"));
            Assert.That(status["code"]?.GetValue<int>(), Is.EqualTo(422));
            Assert.That(status["message"]?.ToString(), Is.EqualTo("ConfigMap \"cm\" is invalid: metadata.name: Required value"));
            Assert.That(status["details"]?["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(status["details"]?["causes"]?[0]?["reason"]?.ToString(), Is.EqualTo("FieldValueRequired"));
            Assert.That(status["details"]?["causes"]?[0]?["message"]?.ToString(), Is.EqualTo("Required value"));
            Assert.That(status["details"]?["causes"]?[0]?["field"]?.ToString(), Is.EqualTo("metadata.name"));
        });
    }

    [Test]
    public void StatusInvalid_NonCoreGroup_QualifiesTheKind()
    {
        var e = StatusException.Invalid(new GroupVersionKind("apps", "v1", "Deployment"), "web", [FieldError.Required("spec.selector")]);
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Is.EqualTo("Deployment.apps \"web\" is invalid: spec.selector: Required value"));
            Assert.That(e.Details?.Group, Is.EqualTo("apps"));
            Assert.That(e.Details?.Kind, Is.EqualTo("Deployment"));
        });
    }
}
