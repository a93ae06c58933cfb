using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.DemoData;
using Portal.Persistence;

namespace Portal.Bench;

/// <summary>
/// <c>dotnet run -c Release --project Portal -- --bench [--payments 1000000] [--data-dir PATH] [--iterations 30]</c>:
/// generates the payments into a fresh SQLite file and prints the list, page and export timings.
/// </summary>
public static class BenchCommand
{
    public const string Usage = "Usage: --bench [--payments N (default 1000000)] [--data-dir PATH (default: a new temp folder)] [--iterations N (default 30)] [--deep-page N (default 5000)]";

    /// <summary>The data set's "now": fixed, so every run measures the same payments.</summary>
    public static readonly DateTime DataEndUtc = new(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);

    public static bool IsRequested(string[] args) => args.Contains("--bench", StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        if (RecurringBenchmark.IsRequested(args))
        {
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            return await RecurringBenchmark.RunAsync(args, output, stop.Token);
        }
        if (!TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage);
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var report = await PaymentsBenchmark.RunAsync(options, SeedWithDemoDataAsync, output, cancel.Token);
        await output.WriteLineAsync();
        await output.WriteLineAsync(PaymentsBenchmark.ToMarkdown(report));
        return 0;
    }

    /// <summary>The demo data generator's seeded year of payments, written by its bulk loader.</summary>
    public static async Task SeedWithDemoDataAsync(IDbContextFactory<PortalDbContext> database, int payments, TextWriter output,
        CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var generator = new DemoDataGenerator(new DemoDataSpec(payments, DemoDataSpec.DefaultSeed, DataEndUtc, Days: 365));
        var loader = new DemoDataBulkLoader(db.Database.GetConnectionString()!, db.Model);
        var result = await loader.LoadAsync(generator, null, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Generated {result.Payments:N0} payments ({result.Rows:N0} rows) with the demo data generator in {result.Elapsed.TotalSeconds:0.0} s."));
    }

    public static bool TryParse(string[] args, out BenchOptions options, out string? error)
    {
        var payments = 1_000_000;
        var iterations = 30;
        var deepPage = 5000;
        string? dataDir = null;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            var name = args[i];
            switch (name)
            {
                case "--bench":
                    break;
                case "--payments" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    payments = n;
                    break;
                case "--iterations" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    iterations = n;
                    break;
                case "--deep-page" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1:
                    deepPage = n;
                    break;
                case "--data-dir" when Next() is { Length: > 0 } dir:
                    dataDir = dir;
                    break;
                default:
                    error = $"Unknown or incomplete bench argument: {name}";
                    options = default!;
                    return false;
            }
        }
        options = new BenchOptions(payments, Path.GetFullPath(dataDir ?? Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8])),
            iterations, deepPage);
        return true;
    }
}
