using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Domain.Refunds;

/// <summary>The refund service asks the money-movement guard (second factor) and caps refusal rows in the audit log.</summary>
public sealed class RefundGuardTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeRefundGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private sealed class RefusingGuard : IMoneyMovementGuard
    {
        public List<Actor> Asked { get; } = [];

        public Task<MoneyMovementRefusal?> CheckAsync(Actor actor, CancellationToken cancellationToken = default)
        {
            Asked.Add(actor);
            return Task.FromResult<MoneyMovementRefusal?>(new MoneyMovementRefusal("Set up an authenticator app first.", "/Account/Manage/EnableAuthenticator"));
        }
    }

    [Fact]
    public async Task RequestAsync_GuardRefusesTheActor_SecondFactorRequiredAuditedAndGatewayNeverCalled()
    {
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 5_000, Start.UtcDateTime.AddMinutes(-30));
        var guard = new RefusingGuard();

        var refused = await Assert.ThrowsAsync<RefundRefusedException>(() =>
            Service(_db, _gateway, _clock, guard: guard).RequestAsync(Request(paymentId, transactionId, 1_000), Admin));

        Assert.Equal(RefundRefusal.SecondFactorRequired, refused.Refusal);
        Assert.Equal("/Account/Manage/EnableAuthenticator", refused.SetupPath);
        Assert.Equal(Admin, Assert.Single(guard.Asked));
        Assert.Empty(_gateway.RefundCalls);
        Assert.Empty(await RefundsAsync(_db, transactionId));
        var audit = Assert.Single(await AuditAsync(_db, paymentId));
        Assert.Equal("refund.refused", audit.Action);
        Assert.Contains("authenticator", audit.Details, StringComparison.Ordinal);
        Assert.Equal(0, (await TransactionAsync(_db, paymentId, transactionId)).RefundReservedAmount);
    }

    [Fact]
    public async Task RequestAsync_RefusalsBeyondTheCap_OnlyTheFirstAreAuditedUntilTheWindowPasses()
    {
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 5_000, Start.UtcDateTime.AddMinutes(-30));
        var options = new RefundOptions { MaxAuditedRefusalsPerUser = 3, RefusalAuditWindowMinutes = 60 };
        var service = Service(_db, _gateway, _clock, options);
        var staff = Actor.User("user-staff-9", "staff@shop.test");

        // Ten refused attempts (too much money) in one minute: three audit rows, the rest only logged.
        for (var i = 0; i < 10; i++)
            await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 9_000), staff));
        Assert.Equal(3, await RefusalRowsAsync(staff));
        var last = (await AuditAsync(_db, paymentId)).Last();
        Assert.Contains("only logged", last.Details, StringComparison.Ordinal);

        // Another person is not affected by their count.
        await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 9_000), Admin));
        Assert.Equal(1, await RefusalRowsAsync(Admin));

        // Once the window has passed the next refusal is audited again.
        _clock.Advance(TimeSpan.FromMinutes(61));
        await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 9_000), staff));
        Assert.Equal(4, await RefusalRowsAsync(staff));
    }

    private async Task<int> RefusalRowsAsync(Actor actor)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<AuditEntry>().CountAsync(a => a.ActorId == actor.Id && a.Action == "refund.refused");
    }
}
