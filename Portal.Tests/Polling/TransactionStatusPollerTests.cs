using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

/// <summary>The status poller against the eComCharge sandbox over real HTTP, on its own SQLite file.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class TransactionStatusPollerTests(GatewaySandboxFixture fixture) : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    private IPaymentGateway Gateway => fixture.Service<IPaymentGateway>();
    private EComChargeSandboxStore Sandbox => fixture.Service<EComChargeSandboxStore>();

    private TransactionStatusPoller Poller(TimeProvider? clock = null) =>
        new(_db, Gateway, fixture.Service<ICardTokenProtector>(), clock ?? TimeProvider.System, NullLogger<TransactionStatusPoller>.Instance);

    private async Task<string> SeedAsync(string? uid, string? trackingId, TransactionStatus status, DateTime? createdAtUtc = null)
    {
        var at = createdAtUtc ?? DateTime.UtcNow.AddSeconds(-5);
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
        payment.AddLine(new NewPaymentLine { UnitAmount = 1250 });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            Status = status,
            RequestedAmount = 1250,
            ExternalId1 = uid,
            TrackingId = trackingId,
        }, "test");
        await using var db = _db.CreateDbContext();
        db.Add(payment);
        await db.SaveChangesAsync();
        return t.Id;
    }

    private async Task<PaymentTransaction> LoadAsync(string transactionId)
    {
        await using var db = _db.CreateDbContext();
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.PaymentId).SingleAsync();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId);
        return payment.Transactions.Single(t => t.Id == transactionId);
    }

    private static string Key() => "poll-" + Guid.NewGuid().ToString("N");

    private static ChargeRequest Charge(string token, string key) => new(key, 1250, "EUR", "Order", token, TokenChargeKind.MerchantInitiatedCycle);

    [Fact]
    public async Task Poll_PendingChargeThatLaterSucceeds_ConfirmedOnlyOnceTheGatewaySaysSo()
    {
        var key = Key();
        var pending = Assert.IsType<GatewayResult.Pending>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Pending, key)));
        var id = await SeedAsync(pending.GatewayTransactionId, key, TransactionStatus.Requested);

        var clock = new FixedClock(DateTimeOffset.UtcNow);
        var first = await Poller(clock).PollAsync(50, default);
        Assert.Equal(TransactionStatus.Requested, (await LoadAsync(id)).Status);
        Assert.True(first.Polled >= 1);

        // The sandbox decides after 0.5 s of real time; the poller asks again after its first backoff step.
        await Task.Delay(TimeSpan.FromSeconds(0.8));
        clock.Advance(PollBackoff.After(1));
        await Poller(clock).PollAsync(50, default);

        var t = await LoadAsync(id);
        Assert.Equal(TransactionStatus.Confirmed, t.Status);
        Assert.Equal(1250, t.ConfirmedAmount);
        Assert.Equal(PaymentStatus.Confirmed, t.Payment!.Status);
        Assert.Equal("1111", t.CardLast4);
        Assert.NotNull(t.CardTokenProtected);
        Assert.NotEqual(SandboxTokens.Pending, t.CardTokenProtected);
    }

    [Fact]
    public async Task Poll_ChargeWhoseAnswerTimedOut_FoundByTrackingIdNeverChargedAgain()
    {
        var key = Key();
        Assert.IsType<GatewayResult.Unknown>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Timeout, key)));
        var id = await SeedAsync(uid: null, trackingId: key, TransactionStatus.Requested);

        await Poller().PollAsync(50, default);

        var t = await LoadAsync(id);
        Assert.Equal(TransactionStatus.Confirmed, t.Status);
        Assert.NotNull(t.ExternalId1);
        Assert.Equal(1, Sandbox.TransactionCount(key));
        Assert.Equal(1, Sandbox.ChargeRequestCount(key));
    }

    [Theory]
    [InlineData(SandboxTokens.ThreeDSecureApprove, TransactionStatus.Confirmed)]
    [InlineData(SandboxTokens.ThreeDSecureDecline, TransactionStatus.Failed)]
    public async Task Poll_ThreeDSecureAttempt_EndsAsTheGatewayDecides(string token, TransactionStatus expected)
    {
        var key = Key();
        var action = Assert.IsType<GatewayResult.RequiresAction>(await Gateway.ChargeTokenAsync(Charge(token, key)));
        var id = await SeedAsync(action.GatewayTransactionId, key, TransactionStatus.NextAction);

        await Poller().PollAsync(50, default);

        var t = await LoadAsync(id);
        Assert.Equal(expected, t.Status);
        if (expected == TransactionStatus.Failed)
            Assert.Equal(TransactionErrorCode.Declined, t.Error!.Code);
    }

    [Fact]
    public async Task Poll_ChargeTheGatewayNeverRecorded_FailsOnlyAfterGracePeriod()
    {
        var now = new FixedClock(DateTimeOffset.UtcNow);
        var old = await SeedAsync(null, Key(), TransactionStatus.Requested, now.GetUtcNow().UtcDateTime - TransactionStatusPoller.NotFoundGrace - TimeSpan.FromMinutes(1));
        var recent = await SeedAsync(null, Key(), TransactionStatus.Requested, now.GetUtcNow().UtcDateTime.AddMinutes(-1));

        await Poller(now).PollAsync(50, default);

        var failed = await LoadAsync(old);
        Assert.Equal(TransactionStatus.Failed, failed.Status);
        Assert.Equal(TransactionErrorCode.NotCompleted, failed.Error!.Code);
        Assert.Equal(TransactionStatus.Requested, (await LoadAsync(recent)).Status);
    }

    [Fact]
    public async Task Poll_SmallBatches_EveryOpenAttemptGetsItsTurn()
    {
        var a = await SeedAsync(null, Key(), TransactionStatus.Requested);
        var b = await SeedAsync(null, Key(), TransactionStatus.Requested);

        var first = await Poller().PollAsync(1, default);
        var second = await Poller().PollAsync(1, default);

        Assert.Equal((1, 1), (first.Polled, second.Polled));
        Assert.NotNull((await LoadAsync(a)).LastPolledAtUtc);
        Assert.NotNull((await LoadAsync(b)).LastPolledAtUtc);
    }

    public void Dispose() => _db.Dispose();
}
