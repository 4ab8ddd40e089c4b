using Apiserver.Generic.Registry.Generic;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Generic;

/// <summary>
/// <see cref="HumanDuration.Format"/> against Kubernetes' <c>duration.HumanDuration</c> and its tests
/// (k8s.io/apimachinery/pkg/util/duration/duration_test.go: TestHumanDuration, TestHumanDurationBoundaries).
/// </summary>
[TestFixture]
public sealed class HumanDurationTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long S = TimeSpan.TicksPerSecond;
    private const long M = TimeSpan.TicksPerMinute;
    private const long H = TimeSpan.TicksPerHour;
    private const long D = TimeSpan.TicksPerDay;
    private const long Y = 365 * D;

    // TestHumanDuration.
    [TestCase(1 * S, "1s")]
    [TestCase(70 * S, "70s")]
    [TestCase(190 * S, "3m10s")]
    [TestCase(70 * M, "70m")]
    [TestCase(47 * H, "47h")]
    [TestCase(49 * H, "2d1h")]
    [TestCase((8 * 24 + 2) * H, "8d")]
    [TestCase(367 * 24 * H, "367d")]
    [TestCase((365 * 2 * 24 + 25) * H, "2y1d")]
    [TestCase((365 * 8 * 24 + 2) * H, "8y")]
    // TestHumanDurationBoundaries.
    [TestCase(-2 * S, "<invalid>")]
    [TestCase(-1 * S, "0s")]
    [TestCase(-1, "0s")]
    [TestCase(0, "0s")]
    [TestCase(1 * S - 1 * Ms, "0s")]
    [TestCase(59 * S, "59s")]
    [TestCase(2 * M - 1 * Ms, "119s")]
    [TestCase(2 * M, "2m")]
    [TestCase(2 * M + 1 * S, "2m1s")]
    [TestCase(10 * M - 1 * Ms, "9m59s")]
    [TestCase(10 * M, "10m")]
    [TestCase(10 * M + 1 * S, "10m")]
    [TestCase(3 * H - 1 * Ms, "179m")]
    [TestCase(3 * H, "3h")]
    [TestCase(3 * H + 1 * M, "3h1m")]
    [TestCase(8 * H - 1 * Ms, "7h59m")]
    [TestCase(8 * H, "8h")]
    [TestCase(8 * H + 59 * M, "8h")]
    [TestCase(2 * D - 1 * Ms, "47h")]
    [TestCase(2 * D, "2d")]
    [TestCase(2 * D + 1 * H, "2d1h")]
    [TestCase(8 * D - 1 * Ms, "7d23h")]
    [TestCase(8 * D, "8d")]
    [TestCase(8 * D + 23 * H, "8d")]
    [TestCase(2 * Y - 1 * Ms, "729d")]
    [TestCase(2 * Y, "2y")]
    [TestCase(2 * Y + 23 * H, "2y")]
    [TestCase(2 * Y + 23 * H + 59 * M, "2y")]
    [TestCase(2 * Y + 24 * H - 1 * Ms, "2y")]
    [TestCase(2 * Y + 24 * H, "2y1d")]
    [TestCase(3 * Y, "3y")]
    [TestCase(4 * Y, "4y")]
    [TestCase(5 * Y, "5y")]
    [TestCase(6 * Y, "6y")]
    [TestCase(7 * Y, "7y")]
    [TestCase(8 * Y - 1 * Ms, "7y364d")]
    [TestCase(8 * Y, "8y")]
    [TestCase(8 * Y + 364 * D, "8y")]
    [TestCase(9 * Y, "9y")]
    // More points on each rule.
    [TestCase(5 * M, "5m")]
    [TestCase(5 * M + 30 * S, "5m30s")]
    [TestCase(1 * H, "60m")]
    [TestCase(7 * H + 30 * M, "7h30m")]
    [TestCase(24 * H, "24h")]
    [TestCase(3 * D + 12 * H, "3d12h")]
    [TestCase(100 * D, "100d")]
    [TestCase(5 * Y + 100 * D, "5y100d")]
    [TestCase(100 * Y, "100y")]
    public void Format_MatchesKubernetes(long ticks, string expected)
    {
        Assert.That(HumanDuration.Format(TimeSpan.FromTicks(ticks)), Is.EqualTo(expected));
    }

    // Kubernetes truncates to whole seconds before checking (int(d.Seconds()) < -1), so anything above -2s is "0s".
    [TestCase(-2 * S + 1, "0s")]
    [TestCase(-1 * S - 500 * Ms, "0s")]
    [TestCase(-2 * S - 1, "<invalid>")]
    public void Format_SlightlyNegativeAboveMinusTwoSeconds_IsZero(long ticks, string expected)
    {
        Assert.That(HumanDuration.Format(TimeSpan.FromTicks(ticks)), Is.EqualTo(expected));
    }

    [Test]
    public void Format_FarNegative_IsInvalid()
    {
        Assert.That(HumanDuration.Format(TimeSpan.FromDays(-3)), Is.EqualTo("<invalid>"));
    }

    [Test]
    public void Since_Null_IsUnknown()
    {
        Assert.That(HumanDuration.Since(null), Is.EqualTo("<unknown>"));
    }

    [Test]
    public void Since_APastTime_IsItsAge()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HumanDuration.Since(DateTimeOffset.UtcNow.AddHours(-5).AddMinutes(-1)), Does.Match("^5h[12]m$"));
            Assert.That(HumanDuration.Since(DateTimeOffset.UtcNow.AddDays(-30)), Is.EqualTo("30d"));
            Assert.That(HumanDuration.Since(DateTimeOffset.UtcNow.AddSeconds(1)), Is.EqualTo("0s"));
        });
    }
}
