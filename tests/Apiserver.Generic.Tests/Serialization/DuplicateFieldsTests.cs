using System.Text;
using Apiserver.Generic.Serialization.Json;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Serialization;

public sealed class DuplicateFieldsTests
{
    private static IReadOnlyList<string> Find(string json) => DuplicateFields.Find(Encoding.UTF8.GetBytes(json));

    [Test]
    public void NoDuplicates_FindsNothing() =>
        Assert.That(Find("""{"a":1,"b":{"a":2,"c":[{"a":3},{"a":4}]}}"""), Is.Empty);

    [Test]
    public void Duplicates_AreNamedByTheirPath_InDocumentOrder() =>
        Assert.That(
            Find("""{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","image":"y"}]},"a":1,"a":2}"""),
            Is.EqualTo(new[] { "spec.containers[1].image", "a" }));

    [Test]
    public void ArrayIndexes_CountScalarsArraysAndObjects() =>
        Assert.That(Find("""{"x":[1,[2,{"k":1,"k":2}],{"k":1,"k":2}],"m":{"n":{}}, "m":0}"""), Is.EqualTo(new[] { "x[1][1].k", "x[2].k", "m" }));
}
