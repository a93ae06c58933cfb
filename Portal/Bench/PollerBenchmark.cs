using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Gateways;
using Portal.Gateways.EComCharge;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;

namespace Portal.Bench;

public sealed record PollerBenchOptions(int Transactions, string DataDirectory, int BatchSize, int Concurrency);

/// <param name="Cpu">Processor time this process used while polling (the sandbox included: it runs in the same process).</param>
public sealed record PollerBenchReport(int Transactions, TimeSpan Seeding, TimeSpan Polling, TimeSpan Cpu, int Polled, int Confirmed, int MaxQueriesPerItem,
    int ItemsNotAskedOnce, int Cores, int BatchSize, int Concurrency, double LoadAverage)
{
    public double PerMinute => Polling.TotalMinutes <= 0 ? 0 : Polled / Polling.TotalMinutes;

    /// <summary>What the process's own CPU use allows on all of this machine's cores with nothing else running.</summary>
    public double PerMinuteIfAlone => Cpu.TotalMinutes <= 0 ? 0 : Polled / (Cpu.TotalMinutes / Cores);
}

/// <summary>
/// <c>dotnet run -c Release --project Portal -- --bench poller [--transactions 10000] [--batch-size 200] [--concurrency 8] [--data-dir PATH]</c>:
/// a fresh portal database with that many open eComCharge attempts (Requested, gateway uid known),
/// the eComCharge sandbox on a loopback port of this process, and the real adapter over HTTP. The
/// sandbox has settled every attempt (the portal missed the answer), so every poll is the full
/// path: claim, read the payment, one HTTP query, apply, write. Prints throughput per minute and
/// checks that each attempt was asked exactly once and ended Confirmed.
/// </summary>
public static class PollerBenchmark
{
    public const string Usage = "Usage: --bench poller [--transactions N (default 10000)] [--batch-size N (default 200)] [--concurrency N (default 8)] [--data-dir PATH (default: a new temp folder)]";

    public static bool IsRequested(string[] args) => args.Contains("poller", StringComparer.Ordinal);

    public static bool TryParse(string[] args, out PollerBenchOptions options, out string? error)
    {
        int transactions = 10_000, batch = 200, concurrency = 8;
        string? dataDir = null;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            var name = args[i];
            switch (name)
            {
                case "--bench" or "poller":
                    break;
                case "--transactions" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    transactions = n;
                    break;
                case "--batch-size" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= TransactionStatusPoller.MaxBatchSize:
                    batch = n;
                    break;
                case "--concurrency" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 64:
                    concurrency = n;
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
        options = new PollerBenchOptions(transactions,
            Path.GetFullPath(dataDir ?? Path.Combine(Path.GetTempPath(), "portal-bench-poller-" + Guid.NewGuid().ToString("N")[..8])), batch, concurrency);
        return true;
    }

    public static async Task<PollerBenchReport> RunAsync(PollerBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        // A rerun on the same folder starts from an empty file: no pooled connection may keep the old one.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { "portal.db", "portal.db-wal", "portal.db-shm" })
            File.Delete(Path.Combine(options.DataDirectory, f));

        await using var app = BuildSandboxHost(options.DataDirectory);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        await app.StartAsync(cancellationToken);
        await output.WriteLineAsync($"Sandbox on {app.Services.GetRequiredService<GatewayBaseAddresses>().PortalAddress()}; data folder {options.DataDirectory}");

        var seeding = Stopwatch.StartNew();
        var uids = await SeedAsync(app.Services, options.Transactions, cancellationToken);
        seeding.Stop();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {options.Transactions:N0} open eComCharge attempts (settled at the sandbox) in {seeding.Elapsed.TotalSeconds:0.0} s."));

        var poller = new TransactionStatusPoller(
            app.Services.GetRequiredService<IDbContextFactory<DbContext>>(),
            app.Services.GetRequiredService<Portal.Domain.Gateways.IPaymentGateway>(),
            app.Services.GetRequiredService<ICardTokenProtector>(),
            TimeProvider.System,
            app.Services.GetRequiredService<ILogger<TransactionStatusPoller>>(),
            Options.Create(new StatusPollerOptions { BatchSize = options.BatchSize, MaxConcurrency = options.Concurrency }),
            NoBatchProgress.Instance);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var polling = Stopwatch.StartNew();
        var result = await poller.PollDueAsync(TimeSpan.FromHours(1), cancellationToken);
        polling.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;

        var store = app.Services.GetRequiredService<EComChargeSandboxStore>();
        var counts = uids.Select(store.QueryCount).ToList();
        int confirmed;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken))
            confirmed = await db.Set<PaymentTransaction>().CountAsync(t => t.Status == TransactionStatus.Confirmed, cancellationToken);
        await app.StopAsync(cancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        return new PollerBenchReport(options.Transactions, seeding.Elapsed, polling.Elapsed, cpu, result.Polled, confirmed,
            counts.Count == 0 ? 0 : counts.Max(), counts.Count(c => c != 1), Environment.ProcessorCount, options.BatchSize, options.Concurrency,
            LoadAverage());
    }

    public static string ToMarkdown(PollerBenchReport r) => string.Create(CultureInfo.InvariantCulture, $"""
        | poller benchmark | value |
        |---|---|
        | open attempts seeded | {r.Transactions:N0} |
        | polled (claimed and asked) | {r.Polled:N0} |
        | ended Confirmed | {r.Confirmed:N0} |
        | attempts not asked exactly once | {r.ItemsNotAskedOnce:N0} (most queries for one attempt: {r.MaxQueriesPerItem}) |
        | polling time (wall clock) | {r.Polling.TotalSeconds:0.0} s |
        | **throughput** | **{r.PerMinute:N0} attempts/min** |
        | CPU time of this process while polling | {r.Cpu.TotalSeconds:0.0} s |
        | throughput its CPU use allows on {r.Cores} cores with nothing else running | {r.PerMinuteIfAlone:N0} attempts/min |
        | machine load average (1 min) at the end | {(r.LoadAverage < 0 ? "n/a" : r.LoadAverage.ToString("0.0", CultureInfo.InvariantCulture))} |
        | batch size / concurrency / cores | {r.BatchSize} / {r.Concurrency} / {r.Cores} |
        """);

    /// <summary>The 1-minute load average on Linux (other processes competing for the cores), or -1 where unknown.</summary>
    private static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    /// <summary>The persistence, Data Protection and gateway registrations of the portal, with only the sandbox's routes mapped, on 127.0.0.1 with a free port.</summary>
    private static WebApplication BuildSandboxHost(string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["Sandbox:Enabled"] = "true",
            ["Gateways:EComCharge:ShopId"] = "bench-shop",
            ["Gateways:EComCharge:SecretKey"] = "bench-secret",
            ["Gateways:Voucherly:ApiKey"] = "bench-voucherly",
            ["Gateways:Vcc:ApiKey"] = "bench-vcc",
            ["Gateways:Vcc:AccountConfigurationId"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var paths = new PortalPaths(builder.Environment.ContentRootPath, new PortalOptions { DataDirectory = dataDirectory });
        paths.EnsureCreated();
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddDbContextFactory<PortalDbContext>(o => o.UsePortalSqlite(paths.ConnectionString));
        builder.Services.AddSingleton<IDbContextFactory<DbContext>, DomainDbContextFactory>();
        builder.Services.AddSingleton<ICardTokenProtector, DataProtectionCardTokenProtector>();
        builder.Services.AddDataProtection().SetApplicationName("merchant-portal-bench")
            .PersistKeysToFileSystem(new DirectoryInfo(paths.KeysDirectory));
        builder.AddGateways();
        var app = builder.Build();
        app.MapSandbox();
        return app;
    }

    /// <summary>One payment with one Requested eComCharge attempt each, oldest first; the sandbox holds each as settled.</summary>
    private static async Task<List<string>> SeedAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<EComChargeSandboxStore>();
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var start = DateTime.UtcNow.AddHours(-1);
        var uids = new List<string>(count);
        const int chunk = 1000;
        for (var offset = 0; offset < count; offset += chunk)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = offset; i < Math.Min(count, offset + chunk); i++)
            {
                var at = start.AddMilliseconds(i);
                var uid = "bench-" + i.ToString("D7", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
                var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
                payment.AddLine(new NewPaymentLine { UnitAmount = 1250 });
                payment.AddTransaction(new NewTransaction
                {
                    CreatedAtUtc = at,
                    Gateway = new GatewayRef(EComChargeGateway.GatewayName, "eComCharge"),
                    Status = TransactionStatus.Requested,
                    RequestedAmount = 1250,
                    ExternalId1 = uid,
                    TrackingId = "bench-" + Guid.NewGuid().ToString("N"),
                }, "bench");
                db.Add(payment);
                store.Adopt(uid, null, 1250, "EUR", "successful", 0, new DateTimeOffset(at, TimeSpan.Zero));
                uids.Add(uid);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return uids;
    }
}
