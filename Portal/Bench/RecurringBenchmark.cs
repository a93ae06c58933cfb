using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Gateways;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;

namespace Portal.Bench;

/// <summary>
/// <c>dotnet run -c Release --project Portal -- --bench recurring [--cycles 10000] [--runners 2] [--parallelism 8] [--batch 200] [--data-dir PATH]</c>:
/// a fresh SQLite file with N due schedules, the eComCharge sandbox on a loopback port, and
/// several runners at once charging them through the real adapter. Prints charges per second
/// and duplicates (tracking ids the sandbox received more than once, or charged more than once).
/// </summary>
public static class RecurringBenchmark
{
    public static bool IsRequested(string[] args)
    {
        var i = Array.IndexOf(args, "--bench");
        return i >= 0 && i + 1 < args.Length && args[i + 1] == "recurring";
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        int cycles = 10_000, runners = 2, parallelism = 8, batch = 200;
        string? dataDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            int? Int() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--bench" or "recurring": break;
                case "--cycles": cycles = Int() ?? -1; break;
                case "--runners": runners = Int() ?? -1; break;
                case "--parallelism": parallelism = Int() ?? -1; break;
                case "--batch": batch = Int() ?? -1; break;
                case "--data-dir": dataDir = Next(); break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown bench argument: {args[i]}");
                    return 2;
            }
        }
        if (cycles < 1 || runners < 1 || parallelism is < 1 or > 64 || batch is < 1 or > 10_000)
        {
            await Console.Error.WriteLineAsync("--cycles, --runners, --parallelism (≤ 64) and --batch (≤ 10000) take positive numbers.");
            return 2;
        }

        var dir = Path.GetFullPath(dataDir ?? Path.Combine(Path.GetTempPath(), "portal-bench-recurring-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "bench.db");
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        var connectionString = $"Data Source={file};Pooling=True;Default Timeout=30";
        await output.WriteLineAsync($"Database: {file}");

        await using var sandbox = await StartSandboxAsync(connectionString, dir, cancellationToken);
        var factory = new BenchDomainFactory(connectionString);
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        var tokens = sandbox.Services.GetRequiredService<ICardTokenProtector>();
        var seeding = Stopwatch.StartNew();
        var ids = await SeedAsync(factory, tokens, cycles, cancellationToken);
        await output.WriteLineAsync($"Seeded {cycles:N0} due schedules in {seeding.Elapsed.TotalSeconds:0.0} s.");

        var gateway = sandbox.Services.GetRequiredService<IPaymentGateway>();
        var options = Options.Create(new RecurringOptions { BatchSize = batch, Parallelism = parallelism });
        var clock = TimeProvider.System;
        var run = Stopwatch.StartNew();
        var claimed = await Task.WhenAll(Enumerable.Range(0, runners).Select(_ => Task.Run(async () =>
        {
            var runner = new RecurringChargeRunner(factory, gateway, tokens, new AuditTrail(clock), clock, options, NullLogger<RecurringChargeRunner>.Instance);
            var total = 0;
            while (true)
            {
                var round = await runner.RunDueAsync(null, cancellationToken);
                if (round.Claimed == 0) return total;
                total += round.Claimed;
            }
        }, cancellationToken)));
        run.Stop();

        var store = sandbox.Services.GetRequiredService<EComChargeSandboxStore>();
        var requests = store.Requests.Where(r => r.Kind == "charge" && r.TrackingId is not null).GroupBy(r => r.TrackingId!).ToDictionary(g => g.Key, g => g.Count());
        var keys = ids.Select(id => RecurringCycleAttempt.KeyFor(id, 1, 1)).ToList();
        var duplicateRequests = keys.Count(k => requests.GetValueOrDefault(k) > 1);
        var duplicateCharges = keys.Count(k => store.TransactionCount(k) > 1);
        var charged = keys.Count(k => store.TransactionCount(k) == 1);
        int succeeded, pending, payments;
        await using (var db = factory.CreateDbContext())
        {
            succeeded = await db.Set<RecurringCycle>().CountAsync(c => c.Status == RecurringCycleStatus.Succeeded, cancellationToken);
            pending = await db.Set<RecurringCycle>().CountAsync(c => c.Status == RecurringCycleStatus.PendingVerification, cancellationToken);
            payments = await db.Set<PaymentTransaction>().CountAsync(t => t.TrackingId != null && t.TrackingId.StartsWith("rcs_"), cancellationToken);
        }

        var seconds = run.Elapsed.TotalSeconds;
        await output.WriteLineAsync();
        await output.WriteLineAsync("| measure | value |");
        await output.WriteLineAsync("|---|---|");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| due cycles | {cycles:N0} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| runners × parallelism (batch) | {runners} × {parallelism} ({batch}) |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| elapsed | {seconds:0.0} s |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| charges/second | {succeeded / Math.Max(seconds, 0.001):0.0} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| claimed per runner | {string.Join(" / ", claimed)} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| cycles succeeded / pending verification | {succeeded:N0} / {pending:N0} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| payments created | {payments:N0} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| sandbox: keys charged once | {charged:N0} |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| duplicates (requests / charges per tracking_id) | {duplicateRequests} / {duplicateCharges} |"));
        return duplicateCharges == 0 ? 0 : 1;
    }

    /// <summary>One captured source payment and N schedules on it, all due now.</summary>
    private static async Task<List<string>> SeedAsync(BenchDomainFactory factory, ICardTokenProtector tokens, int count, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.EComCharge, CreatedAtUtc = now.AddDays(-1) }, "bench");
        payment.AddLine(new NewPaymentLine { UnitAmount = 1_000, ProductName = "Bench" });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = now.AddDays(-1), Gateway = new GatewayRef("ecomcharge", "ecomcharge"), Status = TransactionStatus.Confirmed,
            RequestedAmount = 1_000, ProcessedAmount = 1_000, ConfirmedAmount = 1_000, ExternalId1 = "bench-source",
            Card = Domain.Payments.CardDetails.Create(null, "1111", "VISA", 12, 2030), CardTokenProtected = tokens.Protect(SandboxTokens.Approve),
        }, "bench");
        await using (var db = factory.CreateDbContext())
        {
            db.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
        }
        var ids = new List<string>(count);
        var today = DateOnly.FromDateTime(now);
        for (var offset = 0; offset < count; offset += 2_000)
        {
            await using var db = factory.CreateDbContext();
            for (var i = offset; i < Math.Min(count, offset + 2_000); i++)
            {
                var s = new RecurringSchedule(new RecurringScheduleDraft(payment.Id, t.Id, "ecomcharge", t.CardTokenProtected!, "VISA", "1111",
                    "bench@example.com", "Bench", 100 + i % 900, Currency.EUR, "Bench subscription", RecurringIntervalUnit.Month, 1, today,
                    RecurringEndKind.Never, null, null, null, "bench", "bench"), now, TimeProvider.System);
                db.Add(s);
                ids.Add(s.Id);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return ids;
    }

    /// <summary>The eComCharge sandbox (and adapter) on a loopback port, without the rest of the portal.</summary>
    private static async Task<WebApplication> StartSandboxAsync(string connectionString, string dataDirectory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Gateways:EComCharge:BaseUrl"] = "",
            ["Gateways:EComCharge:ShopId"] = "bench-shop",
            ["Gateways:EComCharge:SecretKey"] = "bench-secret",
            ["Gateways:EComCharge:NotificationUrl"] = "",
            ["Gateways:Voucherly:BaseUrl"] = "",
            ["Gateways:Voucherly:ApiKey"] = "bench",
            ["Gateways:Vcc:BaseUrl"] = "",
            ["Gateways:Vcc:ApiKey"] = "bench",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDbContextFactory<PortalDbContext>(o => o.UsePortalSqlite(connectionString));
        builder.Services.AddDataProtection().SetApplicationName("merchant-portal-bench")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        builder.Services.AddSingleton<ICardTokenProtector, DataProtectionCardTokenProtector>();
        builder.AddGateways();
        var app = builder.Build();
        app.MapSandbox();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Short-lived contexts on the bench file, as the app makes them.</summary>
    private sealed class BenchDomainFactory(string connectionString) : IDbContextFactory<DbContext>
    {
        private readonly DbContextOptions<PortalDbContext> _options = new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalSqlite(connectionString)
            .Options;

        public DbContext CreateDbContext() => new PortalDbContext(_options);
    }
}
