using Portal.Bench;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

/// <summary>The poller benchmark's arguments and a small run (correctness only: timings are printed, never asserted).</summary>
public sealed class PollerBenchmarkTests
{
    [Fact]
    public void TryParse_PollerArguments_ReadOrRefused()
    {
        Assert.True(PollerBenchmark.IsRequested(["--bench", "poller"]));
        Assert.False(PollerBenchmark.IsRequested(["--bench", "--payments", "10"]));
        Assert.True(PollerBenchmark.TryParse(["--bench", "poller", "--transactions", "500", "--concurrency", "4", "--batch-size", "50"], out var options, out _));
        Assert.Equal((500, 4, 50), (options.Transactions, options.Concurrency, options.BatchSize));
        Assert.False(PollerBenchmark.TryParse(["--bench", "poller", "--batch-size", "5000"], out _, out var error));
        Assert.Contains("--batch-size", error);
    }

    [Fact]
    public async Task RunAsync_SmallSet_EveryAttemptAskedOnceAndConfirmedAndRerunnable()
    {
        var dir = TestPaths.NewDataDirectory("bench-poller");
        for (var round = 0; round < 2; round++)
        {
            var output = new StringWriter();
            var report = await PollerBenchmark.RunAsync(new PollerBenchOptions(300, dir, 40, 4), output, CancellationToken.None);

            Assert.Equal((300, 300, 0, 1), (report.Polled, report.Confirmed, report.ItemsNotAskedOnce, report.MaxQueriesPerItem));
            Assert.True(report.PerMinute > 0);
            Assert.Contains("attempts/min", PollerBenchmark.ToMarkdown(report));
        }
    }
}
