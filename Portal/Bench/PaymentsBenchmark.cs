using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Payments;
using Portal.Persistence;

namespace Portal.Bench;

public sealed record BenchOptions(int Payments, string DataDirectory, int Iterations = 30, int DeepPage = 5000, int PageLoads = 200);

/// <summary>Creates, migrates and fills a fresh database file with the given number of payments.</summary>
public delegate Task BenchSeeder(IDbContextFactory<PortalDbContext> database, int payments, TextWriter output, CancellationToken cancellationToken);

public sealed record CaseResult(string Name, double ServiceP50, double ServiceP95, double SqlP50, double SqlP95, int Rows, int Total, bool SameRows)
{
    public double Ratio => SqlP95 <= 0 ? 0 : ServiceP95 / SqlP95;
}

public sealed record BenchReport(int Payments, TimeSpan Seeding, IReadOnlyList<CaseResult> Cases, double PageP50, double PageP95,
    TimeSpan Export, long ExportRows, long PeakWorkingSetBytes, long PeakManagedBytes, long ManagedBeforeExportBytes, long FileBytes);

/// <summary>
/// Measures the payments list, the payment page and the CSV export on a fresh SQLite file:
/// each list query through <see cref="PaymentListQueries"/> (count and page, as a first visit)
/// against the same page written by hand in SQL over raw ADO.NET, on the same file.
/// </summary>
public static class PaymentsBenchmark
{
    private const string Columns = "p.Id, p.CreatedAtUtc, p.Status, p.Currency, p.FinalAmount, p.PaidAmount, p.RemainingAmount, p.CustomerName, " +
                                   "p.CustomerEmail, p.ReferenceId, p.SelectedGatewayId, p.Mode, p.Tenant, p.Source, p.InCall, p.TotalsMismatch";

    public static async Task<BenchReport> RunAsync(BenchOptions options, BenchSeeder seed, TextWriter output, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var file = Path.Combine(options.DataDirectory, "bench.db");
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        var connectionString = $"Data Source={file};Pooling=True;Default Timeout=30";
        IDbContextFactory<PortalDbContext> factory = new BenchDbContextFactory(connectionString);

        output.WriteLine($"Database: {file}");
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        var seeding = Stopwatch.StartNew();
        await seed(factory, options.Payments, output, cancellationToken);
        seeding.Stop();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        output.WriteLine($"Seeded {options.Payments:N0} payments in {seeding.Elapsed.TotalSeconds:0.0} s ({new FileInfo(file).Length / 1048576.0:0} MB).");

        await using var raw = new SqliteConnection(connectionString);
        await raw.OpenAsync(cancellationToken);
        await Exec(raw, "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        var samples = await SamplesAsync(raw);
        var queries = new PaymentListQueries(factory);
        var deepPage = Math.Max(2, Math.Min(options.DeepPage, options.Payments / 25 - 1));

        var results = new List<CaseResult>();
        foreach (var c in BenchCases.For(samples, deepPage))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var servicePage = await queries.ListAsync(c.State, TimeZoneInfo.Utc, true, cancellationToken);
            var sqlPage = await RawPageAsync(raw, c);
            var same = servicePage.Total == sqlPage.Total && servicePage.Rows.Select(r => r.Id).SequenceEqual(sqlPage.Ids);
            var service = new List<double>();
            var sql = new List<double>();
            for (var i = 0; i < options.Iterations + 2; i++)
            {
                // Alternate which runs first so neither always gets the warmer cache.
                var serviceFirst = i % 2 == 0;
                if (serviceFirst) service.Add(await TimeAsync(() => queries.ListAsync(c.State, TimeZoneInfo.Utc, true, cancellationToken)));
                sql.Add(await TimeAsync(() => RawPageAsync(raw, c)));
                if (!serviceFirst) service.Add(await TimeAsync(() => queries.ListAsync(c.State, TimeZoneInfo.Utc, true, cancellationToken)));
            }
            var result = new CaseResult(c.Name, P(service.Skip(2), 50), P(service.Skip(2), 95), P(sql.Skip(2), 50), P(sql.Skip(2), 95),
                servicePage.Rows.Count, servicePage.Total ?? 0, same);
            results.Add(result);
            output.WriteLine($"  {result.Name,-38} service p50 {result.ServiceP50,7:0.00} ms p95 {result.ServiceP95,7:0.00} ms | sql p50 {result.SqlP50,7:0.00} ms p95 {result.SqlP95,7:0.00} ms | {result.Ratio:0.00}x | {result.Total:N0} rows{(same ? "" : " | ROWS DIFFER")}");
        }

        // Payment page: the whole aggregate, history, audit entries and callbacks of random payments.
        var details = new PaymentDetailsQueries(factory);
        var ids = await RandomIdsAsync(raw, options.PageLoads);
        foreach (var id in ids.Take(5)) await details.GetAsync(id, cancellationToken);
        var pageTimes = new List<double>();
        foreach (var id in ids) pageTimes.Add(await TimeAsync(() => details.GetAsync(id, cancellationToken)));
        output.WriteLine($"  payment page                           p50 {P(pageTimes, 50):0.00} ms p95 {P(pageTimes, 95):0.00} ms over {ids.Count} random ids");

        // Export of the whole set, sampling memory while it streams.
        GC.Collect();
        var managedBefore = GC.GetTotalMemory(true);
        using var process = Process.GetCurrentProcess();
        long peakManaged = managedBefore, peakWorkingSet = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);
        var export = Stopwatch.StartNew();
        long exported;
        await using (var writer = new StreamWriter(Stream.Null))
            exported = await CsvExport.WritePaymentsAsync(writer, queries.ExportAsync(PaymentListState.Default, TimeZoneInfo.Utc, cancellationToken), null, cancellationToken);
        export.Stop();
        await sampling.CancelAsync();
        await sampler;
        output.WriteLine($"  export                                 {exported:N0} rows in {export.Elapsed.TotalSeconds:0.0} s, managed heap peak {peakManaged / 1048576.0:0} MB (before {managedBefore / 1048576.0:0} MB), working set peak {peakWorkingSet / 1048576.0:0} MB");

        return new BenchReport(options.Payments, seeding.Elapsed, results, P(pageTimes, 50), P(pageTimes, 95), export.Elapsed, exported,
            peakWorkingSet, peakManaged, managedBefore, new FileInfo(file).Length);
    }

    /// <summary>The report as a Markdown table (for the README).</summary>
    public static string ToMarkdown(BenchReport r)
    {
        var s = new System.Text.StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Payments: {r.Payments:N0} (file {r.FileBytes / 1048576.0:0} MB, seeded in {r.Seeding.TotalSeconds:0} s). Times in ms; service = PaymentListQueries (count + page + cards of the page; status-only and unfiltered counts come from the trigger-kept per-status counts); SQL = the straightforward statements written by hand over ADO.NET (COUNT(*) over the filter, the page, the page's cards).");
        s.AppendLine();
        s.AppendLine("| query | rows matched | service p50 | service p95 | SQL p50 | SQL p95 | p95 ratio | same page |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (var c in r.Cases)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Total:N0} | {c.ServiceP50:0.00} | {c.ServiceP95:0.00} | {c.SqlP50:0.00} | {c.SqlP95:0.00} | {c.Ratio:0.00}× | {(c.SameRows ? "yes" : "NO")} |");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Payment page (aggregate + history + audit + callbacks, random ids): p50 {r.PageP50:0.00} ms, p95 {r.PageP95:0.00} ms.");
        s.AppendLine(CultureInfo.InvariantCulture, $"CSV export of all {r.ExportRows:N0} payments: {r.Export.TotalSeconds:0.0} s; managed heap {r.ManagedBeforeExportBytes / 1048576.0:0} MB before, peak {r.PeakManagedBytes / 1048576.0:0} MB during; process working set peak {r.PeakWorkingSetBytes / 1048576.0:0} MB.");
        return s.ToString();
    }

    private sealed record RawPage(int Total, List<string> Ids);

    /// <summary>The page as one would write it by hand: COUNT(*) over the filter, the page, the cards of the page's payments.</summary>
    private static async Task<RawPage> RawPageAsync(SqliteConnection connection, BenchCase c)
    {
        int total;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = c.Where == "1" ? "SELECT COUNT(*) FROM Payments AS p" : $"SELECT COUNT(*) FROM Payments AS p WHERE {c.Where}";
            foreach (var (k, v) in c.Parameters) count.Parameters.AddWithValue(k, v);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        var ids = new List<string>();
        await using (var page = connection.CreateCommand())
        {
            page.CommandText = $"SELECT {Columns} FROM Payments AS p{(c.Where == "1" ? "" : " WHERE " + c.Where)} ORDER BY {c.OrderBy} LIMIT @take OFFSET @skip";
            foreach (var (k, v) in c.Parameters) page.Parameters.AddWithValue(k, v);
            page.Parameters.AddWithValue("@take", c.State.Size);
            page.Parameters.AddWithValue("@skip", c.State.Skip);
            await using var reader = await page.ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
                ids.Add(reader.GetString(0));
            }
        }
        if (ids.Count > 0)
        {
            await using var cards = connection.CreateCommand();
            cards.CommandText = "SELECT t.PaymentId, t.CardLast4, t.CardBrand, t.CreatedAtUtc, t.Id FROM PaymentTransactions AS t " +
                                $"WHERE t.PaymentId IN ({string.Join(", ", ids.Select((_, i) => "@id" + i))}) AND t.CardLast4 IS NOT NULL";
            for (var i = 0; i < ids.Count; i++) cards.Parameters.AddWithValue("@id" + i, ids[i]);
            await using var reader = await cards.ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync()) reader.GetValues(values);
        }
        return new RawPage(total, ids);
    }

    private static async Task<BenchSamples> SamplesAsync(SqliteConnection c)
    {
        var middle = await Scalar(c, "SELECT Id FROM Payments ORDER BY Id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM Payments)");
        var withCard = await Scalar(c, "SELECT CardLast4 FROM PaymentTransactions WHERE CardLast4 IS NOT NULL ORDER BY Id LIMIT 1 OFFSET (SELECT COUNT(*) / 3 FROM PaymentTransactions)");
        var email = await Scalar(c, $"SELECT CustomerEmailNormalized FROM Payments WHERE Id >= '{middle}' AND CustomerEmailNormalized IS NOT NULL ORDER BY Id LIMIT 1");
        var reference = await Scalar(c, $"SELECT ReferenceId FROM Payments WHERE Id >= '{middle}' AND ReferenceId IS NOT NULL ORDER BY Id LIMIT 1");
        var name = await Scalar(c, $"SELECT CustomerName FROM Payments WHERE Id >= '{middle}' AND CustomerName IS NOT NULL ORDER BY Id LIMIT 1");
        var gateway = await Scalar(c, "SELECT SelectedGatewayId FROM Payments WHERE SelectedGatewayId IS NOT NULL ORDER BY CreatedAtUtc DESC LIMIT 1");
        var last = DateTime.Parse(await Scalar(c, "SELECT MAX(CreatedAtUtc) FROM Payments"), CultureInfo.InvariantCulture);
        // The email search takes a prefix ending in "@": the whole local part.
        var emailPrefix = email.Contains('@') ? email[..(email.IndexOf('@') + 1)] : email + "@";
        return new BenchSamples(withCard, emailPrefix, reference, middle, name, gateway, DateOnly.FromDateTime(last));
    }

    private static async Task<List<string>> RandomIdsAsync(SqliteConnection c, int count)
    {
        var ids = new List<string>();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT Id FROM Payments WHERE rowid IN (SELECT abs(random()) % (SELECT MAX(rowid) FROM Payments) + 1 FROM Payments LIMIT @n)";
        command.Parameters.AddWithValue("@n", count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task<string> Scalar(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)
               ?? throw new InvalidOperationException("The generated data has no value for: " + sql);
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double P(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The app's own context setup (same interceptors) on the bench file.</summary>
    private sealed class BenchDbContextFactory(string connectionString) : IDbContextFactory<PortalDbContext>
    {
        private readonly DbContextOptions<PortalDbContext> _options = new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalSqlite(connectionString)
            .Options;

        public PortalDbContext CreateDbContext() => new(_options);
    }
}
