using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;
using Portal.Domain.Webhooks;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Domain.Refunds;

/// <summary>eComCharge refund notifications against refunds the portal started (webhook applier on real SQLite).</summary>
public sealed class RefundNotificationTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeRefundGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private WebhookIngestion Ingestion() =>
        new(_db, new AuditTrail(_clock), new PlainTokens(), _clock, NullLogger<WebhookIngestion>.Instance);

    private static InboundPaymentEvent RefundEvent(string refundUid, string parentUid, long amount, string? trackingId) => new()
    {
        Source = WebhookSource.EComCharge,
        ExternalTransactionId = refundUid,
        Status = InboundStatus.Refunded,
        ReportedStatus = "successful",
        AmountMinor = amount,
        Currency = "EUR",
        ParentTransactionId = parentUid,
        MerchantReference = trackingId,
        Message = "Successfully processed",
    };

    [Fact]
    public async Task RefundNotification_MatchesAPortalRefundPendingVerification_ConfirmsItInsteadOfRecordingASecondRefund()
    {
        var parentUid = "uid-" + Guid.NewGuid().ToString("N")[..10];
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 10_000, Start.UtcDateTime.AddMinutes(-30), gatewayUid: parentUid);
        _gateway.AnswerRefund(FakeRefundGateway.Lost);
        var refund = (await Service(_db, _gateway, _clock).RequestAsync(Request(paymentId, transactionId, 4_000), Admin)).Refund;
        Assert.Equal(RefundStatus.PendingVerification, refund.Status);

        var result = await Ingestion().IngestAsync(RefundEvent("gw-refund-1", parentUid, 4_000, refund.IdempotencyKey), "{}", CancellationToken.None);

        Assert.Equal(WebhookIngestOutcome.Applied, result.Outcome);
        Assert.Contains($"Refund {refund.Id} of 40.00 EUR confirmed", result.Message);
        var stored = Assert.Single(await RefundsAsync(_db, transactionId));
        Assert.Equal((RefundStatus.Succeeded, "gw-refund-1"), (stored.Status, stored.GatewayRefundId));
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal((4_000L, 0L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.RefundReservedAmount, t.Status));

        // The job later finds nothing left to do, and a second notification of the same refund changes nothing.
        Assert.Equal(0, (await Service(_db, _gateway, _clock).VerifyOpenRefundsAsync(10)).Checked);
        var again = await Ingestion().IngestAsync(RefundEvent("gw-refund-1", parentUid, 4_000, refund.IdempotencyKey) with { ReportedStatus = "successful " },
            "{}", CancellationToken.None);
        Assert.NotEqual(WebhookIngestOutcome.Failed, again.Outcome);
        Assert.Equal(4_000, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
    }

    [Fact]
    public async Task RefundNotification_MatchedByGatewayRefundIdOfASucceededRefund_ChangesNothing()
    {
        var parentUid = "uid-" + Guid.NewGuid().ToString("N")[..10];
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 10_000, Start.UtcDateTime.AddMinutes(-30), gatewayUid: parentUid);
        var refund = (await Service(_db, _gateway, _clock).RequestAsync(Request(paymentId, transactionId, 2_500), Admin)).Refund;

        var result = await Ingestion().IngestAsync(RefundEvent(refund.GatewayRefundId!, parentUid, 2_500, null), "{}", CancellationToken.None);

        Assert.Equal(WebhookIngestOutcome.Applied, result.Outcome);
        Assert.Contains("already recorded", result.Message);
        Assert.Equal(2_500, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
    }

    [Fact]
    public async Task RefundNotification_UnknownToThePortal_RecordedAsAnExternalRefund()
    {
        var parentUid = "uid-" + Guid.NewGuid().ToString("N")[..10];
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, 10_000, Start.UtcDateTime.AddMinutes(-30), gatewayUid: parentUid);

        var result = await Ingestion().IngestAsync(RefundEvent("backoffice-refund", parentUid, 1_000, "bo-track"), "{}", CancellationToken.None);

        Assert.Equal(WebhookIngestOutcome.Applied, result.Outcome);
        Assert.Empty(await RefundsAsync(_db, transactionId));
        Assert.Equal(1_000, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
    }

    private sealed class PlainTokens : ICardTokenProtector
    {
        public string Protect(string token) => "p:" + token;

        public string Unprotect(string protectedToken) => protectedToken[2..];
    }
}
