using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Apiserver.Generic.Api;
using Apiserver.Generic.Schema;
using Apiserver.Kube.Schema;
using k8s.Models;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Schema;

/// <summary>The table of required fields names real model fields, and the schemas carry and enforce it.</summary>
[TestFixture]
public sealed class ModelRequiredFieldsTests
{
    [Test]
    public void EveryEntry_NamesAModelAndItsJsonFields()
    {
        var models = typeof(V1ConfigMap).Assembly.GetTypes().Where(t => t.Namespace == "k8s.Models" && t.IsPublic).ToDictionary(t => t.Name);
        Assert.Multiple(() =>
        {
            foreach (var (type, fields) in ModelRequiredFields.ByType)
            {
                Assert.That(models.TryGetValue(type, out var model), Is.True, $"no model {type}");
                var names = model?.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).ToHashSet() ?? [];
                foreach (var field in fields)
                {
                    Assert.That(names, Does.Contain(field), $"{type} has no field {field}");
                }
            }
        });
    }

    [Test]
    public void DeploymentSchema_RequiresSelectorTemplateAndContainerNames()
    {
        var deployment = ModelSchemas.For(typeof(V1Deployment));
        var spec = deployment.Properties["spec"].Resolved();
        Assert.That(spec.RequiredProperties, Is.EqualTo(new[] { "selector", "template" }));
        var errors = new List<FieldError>();
        RequiredFields.Validate(JsonNode.Parse("""
            {"metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[{"image":"nginx","ports":[{"name":"http"}]}]}}}}
            """)!.AsObject(), deployment, errors);
        Assert.That(errors.Select(e => e.Field), Is.EquivalentTo(new[] { "spec.selector", "spec.template.spec.containers[0].name", "spec.template.spec.containers[0].ports[0].containerPort" }));
    }

    [Test]
    public void AlreadyReportedField_IsNotReportedTwice()
    {
        var errors = new List<FieldError> { FieldError.Required("spec.selector") };
        RequiredFields.Validate(JsonNode.Parse("""{"metadata":{"name":"d"},"spec":{"template":{}}}""")!.AsObject(), ModelSchemas.For(typeof(V1Deployment)), errors);
        Assert.That(errors.Select(e => e.Field), Is.EqualTo(new[] { "spec.selector" }));
    }
}
