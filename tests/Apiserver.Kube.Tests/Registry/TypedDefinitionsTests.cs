using System.Reflection;
using Apiserver.Generic.Registry.Generic;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry;

/// <summary>
/// Every kind the kube server defines is typed (strategic merge patch, decoding errors as 400), as
/// kube-apiserver's compiled kinds are, whether or not it has a protobuf message.
/// </summary>
[TestFixture]
public sealed class TypedDefinitionsTests
{
    // Every public static definition or served version the assembly declares, by its declaring type.
    private static IEnumerable<(string Name, bool Typed, bool HasSchema)> Definitions() =>
        typeof(KubeApiServer).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static))
            .Where(p => p.PropertyType == typeof(ResourceDefinition) || p.PropertyType == typeof(ServedVersion))
            .Select(p => p.GetValue(null) switch
            {
                ResourceDefinition d => ($"{p.DeclaringType!.Name}.{p.Name}", d.Typed, d.Schema is not null),
                ServedVersion v => ($"{p.DeclaringType!.Name}.{p.Name}", v.Typed, v.Schema is not null),
                _ => throw new InvalidOperationException(p.Name),
            });

    [Test]
    public void EveryBuiltInDefinition_IsTypedWithASchema()
    {
        var definitions = Definitions().ToList();
        Assert.That(definitions, Has.Count.GreaterThan(40), "the reflection finds the definitions");
        Assert.That(definitions.Where(d => !d.Typed || !d.HasSchema).Select(d => d.Name), Is.Empty);
    }
}
