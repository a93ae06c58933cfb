using Portal.Bench;

namespace Portal.Tests.Recurring;

/// <summary>The <c>--bench recurring</c> command end to end at a small size (the figures themselves are not asserted).</summary>
public sealed class RecurringBenchmarkTests
{
    [Fact]
    public async Task RunAsync_FiftyCyclesTwoRunners_EveryCycleChargedOnceAndReported()
    {
        var output = new StringWriter();
        var dir = Infrastructure.TestPaths.NewDataDirectory("bench-recurring");

        // Bounded: a bug that leaves cycles unsettled must fail this test, not hang the suite.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var exit = await RecurringBenchmark.RunAsync(["--bench", "recurring", "--cycles", "50", "--runners", "2", "--data-dir", dir], output, timeout.Token);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("| sandbox: keys charged once | 50 |", text);
        Assert.Contains("| duplicates (requests / charges per tracking_id) | 0 / 0 |", text);
        Assert.Contains("charges/second", text);
        Assert.True(RecurringBenchmark.IsRequested(["--bench", "recurring"]));
        Assert.False(RecurringBenchmark.IsRequested(["--bench"]));
    }
}
