using Microsoft.EntityFrameworkCore;
using Portal.Domain.Polling;
using Portal.Domain.Refunds;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Domain.Refunds;

/// <summary>
/// The refund-verification job's per-refund backoff (the poller's schedule), oldest-first claims,
/// two instances on one database, and flagging for a person, on a fixed clock with a scripted
/// gateway whose status queries are counted.
/// </summary>
public sealed class RefundVerificationBackoffTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeRefundGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private RefundService Service(RefundOptions? options = null, FakeRefundGateway? gateway = null) =>
        RefundTestData.Service(_db, gateway ?? _gateway, _clock, options ?? new RefundOptions { MaxAttemptsPerTransaction = 100 });

    /// <summary>A refund whose answer was lost (PendingVerification) on a fresh captured transaction.</summary>
    private async Task<RefundView> LostRefundAsync(long amount = 1_000)
    {
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 10_000, Start.UtcDateTime.AddHours(-1));
        _gateway.AnswerRefund(FakeRefundGateway.Lost);
        return (await Service().RequestAsync(Request(paymentId, transactionId, amount), Admin)).Refund;
    }

    private async Task<Refund> StoredAsync(string refundId)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<Refund>().AsNoTracking().SingleAsync(r => r.Id == refundId);
    }

    private int QueriesAbout(RefundView refund) => _gateway.QueryCalls.Count(q => q.IdempotencyKey == refund.IdempotencyKey);

    [Fact]
    public async Task VerifyOpenRefunds_GatewayStaysSilent_AskedAgainAfter1Then5Then15MinutesThenHourly()
    {
        var refund = await LostRefundAsync();
        var service = Service();
        var asked = new List<TimeSpan>();
        // Every query is lost; walk the clock a minute at a time for four hours and note when it is asked.
        for (var minute = 0; minute <= 4 * 60; minute++)
        {
            var before = QueriesAbout(refund);
            await service.VerifyOpenRefundsAsync(10);
            if (QueriesAbout(refund) > before) asked.Add(_clock.GetUtcNow() - Start);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Asked at 0, then +1, +5, +15 min, then every hour: 0, 1, 6, 21, 81, 141, 201 minutes.
        Assert.Equal([0, 1, 6, 21, 81, 141, 201], asked.Select(a => (int)a.TotalMinutes));
        var stored = await StoredAsync(refund.Id);
        Assert.Equal(7, stored.CheckAttempts);
        Assert.Equal(Start.UtcDateTime.AddMinutes(261), stored.NextCheckAtUtc);
        Assert.Equal(RefundStatus.PendingVerification, stored.Status);
        Assert.Single(_gateway.RefundCalls); // only asked, never refunded again
    }

    [Fact]
    public void NextCheckAfterClaim_IsThePollersSchedule()
    {
        var now = Start.UtcDateTime;
        var next = PollBackoff.NextCheckAfterClaim<Refund>(r => r.CheckAttempts, now).Compile();
        var waits = Enumerable.Range(0, 7).Select(made => next(WithAttempts(made))!.Value - now).ToList();

        Assert.Equal([1, 5, 15, 60, 60, 60, 60], waits.Select(w => (int)w.TotalMinutes));
        Assert.Equal(waits, Enumerable.Range(1, 7).Select(PollBackoff.After));
    }

    private static Refund WithAttempts(int attempts)
    {
        var refund = (Refund)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(Refund));
        typeof(Refund).GetProperty(nameof(Refund.CheckAttempts))!.SetValue(refund, attempts);
        return refund;
    }

    [Fact]
    public async Task VerifyOpenRefunds_OldestStuckRefund_DoesNotStarveTheNewerOnes()
    {
        var stuck = await LostRefundAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var newer = await LostRefundAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var newest = await LostRefundAsync();
        var service = Service();

        // One at a time: the oldest first; once asked it waits its backoff and the next ones get their turn.
        var first = await service.VerifyOpenRefundsAsync(1);
        var second = await service.VerifyOpenRefundsAsync(1);
        _gateway.AnswerQuery(FakeRefundGateway.Approve);
        var third = await service.VerifyOpenRefundsAsync(1);
        var fourth = await service.VerifyOpenRefundsAsync(1);

        Assert.Equal([stuck.IdempotencyKey, newer.IdempotencyKey, newest.IdempotencyKey], _gateway.QueryCalls.Select(q => q.IdempotencyKey));
        Assert.Equal((1, 1, 1, 0), (first.Checked, second.Checked, third.Checked, fourth.Checked));
        Assert.Equal(RefundStatus.Succeeded, (await StoredAsync(newest.Id)).Status);

        // A minute later the stuck one (still oldest) is due again, before the one asked after it.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await service.VerifyOpenRefundsAsync(1);
        Assert.Equal(stuck.IdempotencyKey, _gateway.QueryCalls.Last().IdempotencyKey);
    }

    [Fact]
    public async Task VerifyOpenRefunds_TwoInstancesAtOnce_EachRefundAskedExactlyOnce()
    {
        var refunds = new List<RefundView>();
        for (var i = 0; i < 40; i++) refunds.Add(await LostRefundAsync(100 + i));
        var gatewayA = new FakeRefundGateway();
        var gatewayB = new FakeRefundGateway();
        var a = Service(gateway: gatewayA);
        var b = Service(gateway: gatewayB);

        // Small batches, so the two instances keep racing for the same oldest rows.
        async Task<int> Drain(RefundService service)
        {
            var total = 0;
            for (var round = 0; round < 20; round++) total += (await service.VerifyOpenRefundsAsync(3)).Checked;
            return total;
        }
        var counts = await Task.WhenAll(Task.Run(() => Drain(a)), Task.Run(() => Drain(b)));

        var asked = gatewayA.QueryCalls.Concat(gatewayB.QueryCalls).Select(q => q.IdempotencyKey).ToList();
        Assert.Equal(40, counts.Sum());
        Assert.Equal(40, asked.Count);
        Assert.Equal(refunds.Select(r => r.IdempotencyKey).Order(), asked.Order());
    }

    [Fact]
    public async Task VerifyOpenRefunds_StillUnknownPastTheAge_FlaggedForAPersonNeverFailedAmountStaysReserved()
    {
        var refund = await LostRefundAsync(4_000);
        var service = Service(new RefundOptions { MaxAttemptsPerTransaction = 100, FlagAfterHours = 2 });

        _clock.Advance(TimeSpan.FromMinutes(119));
        var young = await service.VerifyOpenRefundsAsync(10);
        _clock.Advance(TimeSpan.FromHours(1));
        var old = await service.VerifyOpenRefundsAsync(10);
        _clock.Advance(TimeSpan.FromDays(3));
        var later = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(new RefundVerificationResult(1, 0, 0, 1, 0), young);
        Assert.Equal(new RefundVerificationResult(1, 0, 0, 0, 1), old);
        Assert.Equal(0, later.Checked); // flagged: the job no longer asks
        Assert.Equal(2, QueriesAbout(refund));
        var stored = await StoredAsync(refund.Id);
        Assert.Equal(RefundStatus.PendingVerification, stored.Status);
        Assert.Equal(Start.UtcDateTime.AddMinutes(179), stored.FlaggedAtUtc);
        Assert.Contains("No outcome from the gateway 2 h after", stored.FlagReason);
        Assert.Contains("timeout", stored.FlagReason);
        var quote = await service.QuoteAsync(refund.PaymentId, refund.TransactionId);
        Assert.Equal((0L, 4_000L, 6_000L), (quote.Refunded, quote.Pending, quote.Refundable));
        // The Refunds page's rows carry the flag and its reason (shown as a chip).
        var row = Assert.Single((await new Portal.Refunds.RefundQueries(_db).ListAsync(new Portal.Refunds.RefundFilter(null, null, null, null, refund.PaymentId), 0, 10)).Rows);
        Assert.Equal((stored.FlaggedAtUtc, stored.FlagReason), (row.FlaggedAtUtc, row.FlagReason));
        var audit = await AuditAsync(_db, refund.PaymentId);
        Assert.Contains(audit, e => e.Action == "refund.flagged" && e.ResourceId == refund.Id && e.Details!.Contains("flagged for a person"));
    }

    [Fact]
    public async Task VerifyOpenRefunds_FlaggedRefundTheGatewayLaterConfirms_StillSettledByAPersonsVerify()
    {
        var refund = await LostRefundAsync(4_000);
        var service = Service(new RefundOptions { MaxAttemptsPerTransaction = 100, FlagAfterHours = 1 });
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await service.VerifyOpenRefundsAsync(10)).Flagged);

        _gateway.AnswerQuery(FakeRefundGateway.Approve);
        var settled = await service.VerifyOneAsync(refund.Id, Admin);

        Assert.Equal(RefundStatus.Succeeded, settled.Status);
        Assert.Equal(4_000, (await TransactionAsync(_db, refund.PaymentId, refund.TransactionId)).RefundedAmount);
    }
}
