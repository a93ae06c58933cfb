using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Payments;
using Portal.Persistence;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

/// <summary>
/// The per-status counts the list totals read are kept by triggers: whatever writes payments and
/// transactions (EF inserts, domain status changes, ExecuteUpdate, cascading deletes) leaves them
/// equal to a GROUP BY over the rows.
/// </summary>
public sealed class StatusCountsTests : IDisposable
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(2);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    [Fact]
    public async Task Counts_AfterRandomInsertsStatusChangesAndDeletes_EqualAGroupByOverTheRows()
    {
        var random = new Random(20261122);
        var ids = new List<string>();
        for (var round = 0; round < 6; round++)
        {
            await using (var db = _db.CreateDbContext())
            {
                for (var i = 0; i < 40; i++)
                {
                    var builder = PaymentBuilder.APayment().WithLine(1_000 + random.Next(9_000));
                    var attempts = random.Next(0, 3);
                    for (var a = 0; a < attempts; a++)
                        builder = random.Next(2) == 0 ? builder.WithTransaction() : builder.WithConfirmedTransaction(1_000);
                    var payment = builder.Build();
                    ids.Add(payment.Id);
                    db.Add(payment);
                }
                await db.SaveChangesAsync();
            }

            // Domain status changes through EF: refunds move transactions (and payments) on.
            await using (var db = _db.CreateDbContext())
            {
                var pick = ids.OrderBy(_ => random.Next()).Take(15).ToList();
                foreach (var payment in await db.Set<Payment>().WithAggregate().Where(p => pick.Contains(p.Id)).ToListAsync())
                foreach (var t in payment.Transactions.Where(t => t.RefundableAmount > 0))
                    t.RecordRefund(random.Next(2) == 0 ? t.RefundableAmount : 1, "test", At);
                await db.SaveChangesAsync();
            }

            // Set-based updates and deletes (cascading to transactions) bypass the change tracker.
            await using (var db = _db.CreateDbContext())
            {
                var cancel = ids.OrderBy(_ => random.Next()).Take(5).ToList();
                await db.Set<PaymentTransaction>().Where(t => cancel.Contains(t.PaymentId) && t.Status == TransactionStatus.Requested)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TransactionStatus.Cancelled));
                await db.Set<Payment>().Where(p => cancel.Contains(p.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PaymentStatus.Cancelled));
                var gone = ids.OrderBy(_ => random.Next()).Take(4).ToList();
                await db.Set<Payment>().Where(p => gone.Contains(p.Id)).ExecuteDeleteAsync();
                ids.RemoveAll(gone.Contains);
            }

            await AssertCountsMatchRowsAsync();
        }
    }

    [Fact]
    public async Task ListTotals_StatusOnlyFilters_ComeFromTheCountsAndEqualCountingTheRows()
    {
        using var db = await ListTestData.SeedAsync();
        var payments = new PaymentListQueries(db);
        var transactions = new TransactionListQueries(db);

        foreach (var statuses in new[] { Array.Empty<PaymentStatus>(), [PaymentStatus.Confirmed], [PaymentStatus.Requested, PaymentStatus.Confirmed] })
        {
            var filter = new PaymentListFilter { Statuses = statuses, Search = "  " };
            Assert.True(filter.OnlyStatuses);
            var page = await payments.ListAsync(new PaymentListState(filter), TimeZoneInfo.Utc, includeCount: true);
            await using var context = db.CreateDbContext();
            Assert.Equal(await PaymentListQueries.Filter(context, filter, TimeZoneInfo.Utc).CountAsync(), page.Total);
        }
        var allAttempts = await transactions.ListAsync(new TransactionListState(new TransactionListFilter()), TimeZoneInfo.Utc, includeCount: true);
        await using (var context = db.CreateDbContext())
            Assert.Equal(await context.Set<PaymentTransaction>().CountAsync(), allAttempts.Total);

        // Proof of the source: a count row moved by hand shows in the total of a status-only list, not of a narrower one.
        await using (var context = db.CreateDbContext())
        {
            await context.Database.ExecuteSqlRawAsync("UPDATE PaymentStatusCounts SET Count = Count + 1000 WHERE Status = 'Confirmed'");
            await context.Database.ExecuteSqlRawAsync("UPDATE TransactionStatusCounts SET Count = Count + 1000 WHERE Status = 'Confirmed'");
        }
        var confirmed = new PaymentListFilter { Statuses = [PaymentStatus.Confirmed] };
        var counted = (await payments.ListAsync(new PaymentListState(confirmed), TimeZoneInfo.Utc, true)).Total;
        Assert.True(counted >= 1000);
        var narrowed = confirmed with { FlaggedOnly = true };
        Assert.False(narrowed.OnlyStatuses);
        Assert.True((await payments.ListAsync(new PaymentListState(narrowed), TimeZoneInfo.Utc, true)).Total < 1000);
        Assert.True((await transactions.ListAsync(new TransactionListState(new TransactionListFilter { Statuses = [TransactionStatus.Confirmed] }),
            TimeZoneInfo.Utc, true)).Total >= 1000);
    }

    private async Task AssertCountsMatchRowsAsync()
    {
        await using var db = _db.CreateDbContext();
        var payments = await db.Set<Payment>().GroupBy(p => p.Status).Select(g => new { g.Key, Count = (long)g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        var kept = await db.Set<PaymentStatusCount>().Where(c => c.Count != 0).ToDictionaryAsync(c => c.Status, c => c.Count);
        Assert.Equal(payments.OrderBy(x => x.Key), kept.OrderBy(x => x.Key));
        var attempts = await db.Set<PaymentTransaction>().GroupBy(t => t.Status).Select(g => new { g.Key, Count = (long)g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        var keptAttempts = await db.Set<TransactionStatusCount>().Where(c => c.Count != 0).ToDictionaryAsync(c => c.Status, c => c.Count);
        Assert.Equal(attempts.OrderBy(x => x.Key), keptAttempts.OrderBy(x => x.Key));
        Assert.False(await db.Set<PaymentStatusCount>().AnyAsync(c => c.Count < 0));
        Assert.False(await db.Set<TransactionStatusCount>().AnyAsync(c => c.Count < 0));
    }

    public void Dispose() => _db.Dispose();
}
