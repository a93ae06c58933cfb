using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

public sealed class AuditTrailTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_SavedWithChange_StoresWhoWhatWhenAndAmounts()
    {
        using var db = TestDatabase.CreateMigrated();
        var trail = new AuditTrail(new FixedClock(Now));
        await using (var context = db.CreateDbContext())
        {
            trail.Record(context, Actor.User("u1", "ann@shop.test"), "refund.requested", "transaction", "tx-1",
                paymentId: "pay-1", before: new { Refunded = 0 }, after: new { Refunded = 500 },
                amountBefore: 0, amountAfter: 500, currency: "EUR", details: "requested by customer");
            await context.SaveChangesAsync();
        }

        await using var read = db.CreateDbContext();
        var entry = await read.Set<AuditEntry>().SingleAsync();
        Assert.Equal("ann@shop.test", entry.ActorName);
        Assert.Equal("ui", entry.Origin);
        Assert.Equal("refund.requested", entry.Action);
        Assert.Equal("pay-1", entry.PaymentId);
        Assert.Equal(Now.UtcDateTime, entry.OccurredAtUtc);
        Assert.Equal(DateTimeKind.Utc, entry.OccurredAtUtc.Kind);
        Assert.Equal(500, entry.AmountAfter);
        Assert.Contains("\"refunded\":500", entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEntry_UpdateOrDelete_IsRefusedByModelAndDatabase()
    {
        using var db = TestDatabase.CreateMigrated();
        var trail = new AuditTrail(new FixedClock(Now));
        await using (var context = db.CreateDbContext())
        {
            trail.Record(context, Actor.System, "user.created", "user", "u1");
            await context.SaveChangesAsync();
        }

        await using (var context = db.CreateDbContext())
        {
            var entry = await context.Set<AuditEntry>().SingleAsync();
            context.Remove(entry);
            await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        }

        await using (var context = db.CreateDbContext())
        {
            // Bypassing EF with raw SQL hits the triggers of the migration.
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("UPDATE AuditEntries SET Action = 'x'"));
            Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("DELETE FROM AuditEntries"));
            Assert.Equal(1, await context.Set<AuditEntry>().CountAsync());
        }
    }
}
