using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Persistence;

namespace Portal.DemoData;

/// <summary>
/// Inserts generated payments through EF Core: the ordinary path, used for the small set a
/// development database gets on first start.
/// </summary>
public static class DemoDataEfLoader
{
    /// <summary>
    /// Inserts every payment of <paramref name="generator"/> unless the Payments table already
    /// has rows. The check and the inserts share one write transaction (SQLite BEGIN IMMEDIATE),
    /// so two instances starting at once cannot both seed. Returns how many payments were inserted.
    /// </summary>
    public static async Task<int> LoadIfEmptyAsync(IDbContextFactory<PortalDbContext> dbFactory, DemoDataGenerator generator,
        int batchSize = 250, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Set<Payment>().AnyAsync(cancellationToken)) return 0;

        var inserted = 0;
        var batch = new List<DemoPayment>(batchSize);
        foreach (var demo in generator.Generate())
        {
            batch.Add(demo);
            if (batch.Count < batchSize) continue;
            inserted += await SaveAsync(db, batch, cancellationToken);
        }
        inserted += await SaveAsync(db, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    private static async Task<int> SaveAsync(PortalDbContext db, List<DemoPayment> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        foreach (var demo in batch)
        {
            db.Add(demo.Payment);
            foreach (var delivery in demo.Deliveries) db.Add(delivery);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var count = batch.Count;
        batch.Clear();
        return count;
    }
}
