using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Persistence;

namespace Portal.DemoData;

/// <summary>
/// First start in Development: fills an empty Payments table with demo payments so the
/// portal has something to show. Runs once: a database that has any payment is left alone,
/// and the check and the inserts share one write transaction.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<PortalOptions> portalOptions,
    IOptions<DemoDataOptions> demoOptions,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    // Two hosts in one process (the browser tests) may start on the same data folder at once.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    /// <summary>Returns the number of payments inserted (0 when off, not Development, or already seeded).</summary>
    public async Task<int> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (!environment.IsDevelopment() || !portalOptions.Value.SeedDemoData) return 0;
        var options = demoOptions.Value;
        if (options.DemoPayments <= 0) return 0;

        string file;
        await using (var probe = await dbFactory.CreateDbContextAsync(cancellationToken))
            file = probe.Database.GetDbConnection().DataSource ?? "";
        var gate = Locks.GetOrAdd(Path.GetFullPath(string.IsNullOrEmpty(file) ? "." : file), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var clockTime = Stopwatch.StartNew();
            var generator = new DemoDataGenerator(new DemoDataSpec(options.DemoPayments, options.DemoSeed, clock.GetUtcNow().UtcDateTime, options.DemoDays));
            var inserted = await DemoDataEfLoader.LoadIfEmptyAsync(dbFactory, generator, cancellationToken: cancellationToken);
            if (inserted > 0)
                logger.LogInformation("Seeded {Payments} demo payments (seed {Seed}, {Days} days) in {ElapsedMs} ms",
                    inserted, options.DemoSeed, options.DemoDays, clockTime.ElapsedMilliseconds);
            return inserted;
        }
        finally
        {
            gate.Release();
        }
    }
}

public static class DemoDataServiceCollectionExtensions
{
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoDataOptions>().Bind(configuration.GetSection(PortalOptions.Section))
            .Validate(o => o.DemoPayments >= 0 && o.DemoDays is >= 1 and <= 3650, "Portal:DemoPayments must be ≥ 0 and Portal:DemoDays 1 to 3650.")
            .ValidateOnStart();
        services.AddSingleton<DemoDataSeeder>();
        services.AddSingleton<DemoRecurringSeeder>();
        return services;
    }
}
