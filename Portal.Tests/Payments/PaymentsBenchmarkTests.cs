using Portal.Bench;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Payments;

public sealed class PaymentsBenchmarkTests(ITestOutputHelper log)
{
    /// <summary>
    /// Runs the whole harness on a small generated database and checks that every service page
    /// equals its hand-written SQL page. PORTAL_BENCH_PAYMENTS=200000 runs it at that size and
    /// writes the report to bench-report.md in the test output folder.
    /// </summary>
    [Fact]
    public async Task Benchmark_SmallDatabase_EveryQueryMatchesItsHandWrittenSql()
    {
        var payments = int.TryParse(Environment.GetEnvironmentVariable("PORTAL_BENCH_PAYMENTS"), out var n) && n > 0 ? n : 3000;
        var output = new StringWriter();
        var report = await PaymentsBenchmark.RunAsync(
            new BenchOptions(payments, TestPaths.NewDataDirectory("bench"), Iterations: payments > 10_000 ? 30 : 3, DeepPage: 5000, PageLoads: 50),
            BenchSeeder.SeedAsync, output);
        var markdown = PaymentsBenchmark.ToMarkdown(report);
        log.WriteLine(output.ToString());
        log.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "bench-report.md"), output + Environment.NewLine + markdown);

        Assert.Equal(25, report.Cases.Count);
        Assert.All(report.Cases, c => Assert.True(c.SameRows, $"{c.Name}: the service page differs from the hand-written SQL page"));
        Assert.All(report.Cases.Where(c => !c.Name.StartsWith("search", StringComparison.Ordinal) && !c.Name.StartsWith("filter", StringComparison.Ordinal)),
            c => Assert.Equal(payments, c.Total));
        Assert.All(report.Cases.Where(c => c.Name.StartsWith("search", StringComparison.Ordinal)), c => Assert.True(c.Total > 0, c.Name));
        Assert.Equal(payments, report.ExportRows);
    }

    [Fact]
    public void BenchCommand_Arguments_AreParsed()
    {
        Assert.True(BenchCommand.TryParse(["--bench", "--payments", "200000", "--data-dir", "/tmp/x", "--iterations", "5"], out var options, out _));
        Assert.Equal((200_000, "/tmp/x", 5), (options.Payments, options.DataDirectory, options.Iterations));
        Assert.True(BenchCommand.TryParse(["--bench"], out var defaults, out _));
        Assert.Equal(1_000_000, defaults.Payments);
        Assert.False(BenchCommand.TryParse(["--bench", "--payments", "lots"], out _, out var error));
        Assert.Contains("--payments", error);
        Assert.True(BenchCommand.IsRequested(["--bench"]));
        Assert.False(BenchCommand.IsRequested(["--urls", "http://x"]));
    }
}
