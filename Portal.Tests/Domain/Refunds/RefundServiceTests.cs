using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Domain.Refunds;

/// <summary>The refund service on a real SQLite file with a scripted gateway.</summary>
public sealed class RefundServiceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeRefundGateway _gateway = new();

    private RefundService Service(RefundOptions? options = null) => RefundTestData.Service(_db, _gateway, _clock, options);

    private Task<(string PaymentId, string TransactionId)> SeedAsync(long amount = 10_000, string gatewayId = "ecomcharge") =>
        SeedConfirmedAsync(_db, amount, Start.UtcDateTime.AddMinutes(-30), gatewayId);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task RequestAsync_GatewayApproves_RefundSucceededAndTransactionPartiallyRefunded()
    {
        var (paymentId, transactionId) = await SeedAsync();

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 4_000), Admin);

        Assert.True(result.Created);
        Assert.Equal(RefundStatus.Succeeded, result.Refund.Status);
        Assert.Equal("gw-refund-" + result.Refund.IdempotencyKey, result.Refund.GatewayRefundId);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.RefundedPartially, t.Status);
        Assert.Equal(4_000, t.RefundedAmount);
        Assert.Equal(0, t.RefundReservedAmount);
        var payment = await PaymentAsync(_db, paymentId);
        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
        Assert.Contains(payment.StatusChanges, c => c.TransactionId == transactionId && c.ToStatus == "RefundedPartially" && c.Source == "ui:admin@portal.local");
        var audit = await AuditAsync(_db, paymentId);
        Assert.Equal(["refund.requested", "refund.succeeded"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("admin@portal.local", a.ActorName));
        Assert.Contains("Requested by customer", audit[0].Details);
        Assert.Equal(4_000, audit[1].AmountAfter);
    }

    [Fact]
    public async Task RequestAsync_DuringTheGatewayCall_RefundIsAlreadyCommittedPendingWithItsAmountReserved()
    {
        var (paymentId, transactionId) = await SeedAsync();
        (RefundStatus Status, long Reserved)? seen = null;
        _gateway.During = async call =>
        {
            await using var db = _db.CreateDbContext();
            var refund = await db.Set<Refund>().AsNoTracking().SingleAsync(r => r.IdempotencyKey == call.IdempotencyKey);
            var reserved = await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.RefundReservedAmount).SingleAsync();
            seen = (refund.Status, reserved);
        };

        await Service().RequestAsync(Request(paymentId, transactionId, 2_500), Admin);

        Assert.Equal((RefundStatus.Pending, 2_500L), seen);
    }

    [Fact]
    public async Task RequestAsync_FullRefundInTwoSteps_SecondSendsOnlyTheRestAndEndsRefunded()
    {
        var (paymentId, transactionId) = await SeedAsync();
        var service = Service();

        await service.RequestAsync(Request(paymentId, transactionId, 3_000), Admin);
        var quote = await service.QuoteAsync(paymentId, transactionId);
        await service.RequestAsync(Request(paymentId, transactionId, quote.Refundable), Admin);

        Assert.Equal(7_000, quote.Refundable);
        Assert.Equal([3_000L, 7_000L], _gateway.RefundCalls.Select(c => c.AmountMinor));
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.Refunded, t.Status);
        Assert.Equal(10_000, t.RefundedAmount);
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(_db, paymentId)).Status);
        var after = await service.QuoteAsync(paymentId, transactionId);
        Assert.Equal(0, after.Refundable);
        Assert.False(after.CanRefund);
    }

    [Fact]
    public async Task Maths_PartialThenFailedThenPendingThenMax_MatchesHandComputation()
    {
        // confirmed 100.00; 30.00 succeeds; 20.00 is declined (freed); 15.00 loses its answer (held);
        // by hand: refundable = 100 − 30 − 15 = 55.00; 55.01 is refused, exactly 55.00 ("max") is accepted;
        // when the lost one is confirmed by the job, everything is refunded and nothing is left.
        var (paymentId, transactionId) = await SeedAsync(10_000);
        var service = Service();
        _gateway.AnswerRefund(FakeRefundGateway.Approve).AnswerRefund(FakeRefundGateway.Decline).AnswerRefund(FakeRefundGateway.Lost);

        var a = await service.RequestAsync(Request(paymentId, transactionId, 3_000), Admin);
        var b = await service.RequestAsync(Request(paymentId, transactionId, 2_000), Admin);
        var c = await service.RequestAsync(Request(paymentId, transactionId, 1_500), Admin);
        var quote = await service.QuoteAsync(paymentId, transactionId);

        Assert.Equal((RefundStatus.Succeeded, RefundStatus.Failed, RefundStatus.PendingVerification), (a.Refund.Status, b.Refund.Status, c.Refund.Status));
        Assert.Equal((10_000L, 3_000L, 1_500L, 5_500L), (quote.Confirmed, quote.Refunded, quote.Pending, quote.Refundable));
        Assert.Equal(TransactionStatus.ImpossibleRefund, quote.Status);
        var tooMuch = await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 5_501), Admin));
        Assert.Equal(RefundRefusal.Conflict, tooMuch.Refusal);
        Assert.Contains("55.01 EUR is more than the 55.00 EUR still refundable", tooMuch.Message);

        var max = await service.RequestAsync(Request(paymentId, transactionId, quote.Refundable), Admin);

        Assert.Equal(RefundStatus.Succeeded, max.Refund.Status);
        var mid = await service.QuoteAsync(paymentId, transactionId);
        Assert.Equal((8_500L, 1_500L, 0L), (mid.Refunded, mid.Pending, mid.Refundable));
        Assert.Equal(TransactionStatus.RefundedPartially, mid.Status);

        _gateway.AnswerQuery(FakeRefundGateway.Approve);
        var verified = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(new RefundVerificationResult(1, 1, 0, 0), verified);
        var end = await service.QuoteAsync(paymentId, transactionId);
        Assert.Equal((10_000L, 0L, 0L, TransactionStatus.Refunded), (end.Refunded, end.Pending, end.Refundable, end.Status));
        Assert.Equal([3_000L, 2_000L, 1_500L, 5_500L], _gateway.RefundCalls.Select(x => x.AmountMinor));
        Assert.All(_gateway.RefundCalls, x => Assert.True(x.AmountMinor > 0));
    }

    [Fact]
    public async Task RequestAsync_ExactRemainingAfterPartial_IsAccepted()
    {
        var (paymentId, transactionId) = await SeedAsync(999);
        var service = Service();
        await service.RequestAsync(Request(paymentId, transactionId, 333), Admin);

        var rest = await service.RequestAsync(Request(paymentId, transactionId, 666), Admin);

        Assert.Equal(RefundStatus.Succeeded, rest.Refund.Status);
        Assert.Equal(TransactionStatus.Refunded, (await TransactionAsync(_db, paymentId, transactionId)).Status);
    }

    [Fact]
    public async Task RequestAsync_SameKeyTwice_OneRefundOneGatewayCallSecondReturnsTheFirst()
    {
        var (paymentId, transactionId) = await SeedAsync();
        var service = Service();
        var request = Request(paymentId, transactionId, 1_000);

        var first = await service.RequestAsync(request, Admin);
        var second = await service.RequestAsync(request, Admin);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Refund.Id, second.Refund.Id);
        Assert.Single(_gateway.RefundCalls);
        Assert.Single(await RefundsAsync(_db, transactionId));
        Assert.Equal(1_000, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
    }

    [Fact]
    public async Task RequestAsync_SameKeyDifferentAmount_ConflictNamingTheEarlierRefund()
    {
        var (paymentId, transactionId) = await SeedAsync();
        var service = Service();
        var key = NewKey();
        var first = await service.RequestAsync(Request(paymentId, transactionId, 1_000, key), Admin);

        var e = await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 2_000, key), Admin));

        Assert.Equal(RefundRefusal.Conflict, e.Refusal);
        Assert.Contains(first.Refund.Id, e.Message);
        Assert.Single(_gateway.RefundCalls);
    }

    [Fact]
    public async Task RequestAsync_GatewayDeclines_FailedAmountFreedAndTransactionImpossibleRefundWithMessage()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Decline);

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 10_000), Admin);

        Assert.Equal(RefundStatus.Failed, result.Refund.Status);
        Assert.Equal("Refund declined by the acquirer", result.Refund.GatewayMessage);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.ImpossibleRefund, t.Status);
        Assert.Equal("Refund declined by the acquirer", t.Error!.ExternalMessage);
        Assert.Equal((0L, 0L), (t.RefundedAmount, t.RefundReservedAmount));
        Assert.Equal(10_000, (await Service().QuoteAsync(paymentId, transactionId)).Refundable);
        Assert.Contains(await AuditAsync(_db, paymentId), a => a.Action == "refund.failed" && a.Details!.Contains("refused by the gateway"));
    }

    [Fact]
    public async Task RequestAsync_SoftDeclineAfterAPartialRefund_FailsButLeavesTheTransactionRefundable()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Approve).AnswerRefund(FakeRefundGateway.SoftDecline);
        await Service().RequestAsync(Request(paymentId, transactionId, 3_000), Admin);

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 2_000), Admin);

        Assert.Equal(RefundStatus.Failed, result.Refund.Status);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.RefundedPartially, t.Status);
        Assert.Null(t.Error);
        Assert.Equal((3_000L, 0L), (t.RefundedAmount, t.RefundReservedAmount));
        Assert.Equal(7_000, (await Service().QuoteAsync(paymentId, transactionId)).Refundable);
        Assert.Contains(await AuditAsync(_db, paymentId), a => a.Action == "refund.failed" && a.Details!.Contains("soft decline"));
    }

    [Fact]
    public async Task RequestAsync_EveryRefusedAttempt_IsAuditedOnceWithWhyAndNothingSent()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Approve);
        var key = NewKey();
        await Service().RequestAsync(Request(paymentId, transactionId, 1_000, key), Admin);

        RequestRefund[] refused =
        [
            Request(paymentId, transactionId, 0),                                       // not more than 0
            Request(paymentId, transactionId, 500, reason: RefundReason.Other),         // "Other" without a note
            Request(paymentId, transactionId, 2_000, key),                              // the key of another refund
            Request(paymentId, transactionId, 500, currency: "XYZ"),                    // unknown currency
            Request(paymentId, "txn_NOPE", 500),                                        // no such transaction
        ];
        foreach (var command in refused)
            await Assert.ThrowsAsync<RefundRefusedException>(() => Service().RequestAsync(command, Admin));

        await using var db = _db.CreateDbContext();
        var entries = await db.Set<AuditEntry>().Where(a => a.Action == "refund.refused").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(refused.Length, entries.Count);
        Assert.Contains("more than 0", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains("\"Other\"", entries[1].Details, StringComparison.Ordinal);
        Assert.Contains("already used", entries[2].Details, StringComparison.Ordinal);
        Assert.Contains("XYZ", entries[3].Details, StringComparison.Ordinal);
        Assert.Equal("txn_NOPE", entries[4].ResourceId);
        Assert.All(entries, e => Assert.Equal(Admin.Id, e.ActorId));
        Assert.Single(_gateway.RefundCalls);
    }

    [Fact]
    public async Task RequestAsync_AttemptLimitReached_RefusedAndFailedAttemptsCount()
    {
        var (paymentId, transactionId) = await SeedAsync();
        var service = Service(new RefundOptions { MaxAttemptsPerTransaction = 3 });
        _gateway.AnswerRefund(FakeRefundGateway.Decline).AnswerRefund(FakeRefundGateway.Decline).AnswerRefund(FakeRefundGateway.Approve);
        for (var i = 0; i < 3; i++) await service.RequestAsync(Request(paymentId, transactionId, 100), Admin);

        var e = await Assert.ThrowsAsync<RefundRefusedException>(() => service.RequestAsync(Request(paymentId, transactionId, 100), Admin));

        Assert.Equal(RefundRefusal.Conflict, e.Refusal);
        Assert.Contains("3 refund attempts, the most allowed", e.Message);
        Assert.Equal(3, _gateway.RefundCalls.Count);
        Assert.Contains(await AuditAsync(_db, paymentId), a => a.Action == "refund.refused" && a.Details!.Contains("the most allowed"));
    }

    [Theory]
    [InlineData(0, "EUR", RefundReason.Duplicate, null, "more than 0")]
    [InlineData(-5, "EUR", RefundReason.Duplicate, null, "more than 0")]
    [InlineData(100, "USD", RefundReason.Duplicate, null, "always in the transaction's currency")]
    [InlineData(100, "XXQ", RefundReason.Duplicate, null, "not a known ISO 4217 currency")]
    [InlineData(100, "EUR", RefundReason.Other, null, "write a note")]
    public async Task RequestAsync_InvalidRequest_RefusedWithoutCallingTheGateway(long amount, string currency, RefundReason reason, string? note, string message)
    {
        var (paymentId, transactionId) = await SeedAsync();

        var e = await Assert.ThrowsAsync<RefundRefusedException>(() =>
            Service().RequestAsync(Request(paymentId, transactionId, amount, currency: currency, reason: reason, note: note), Admin));

        Assert.Equal(RefundRefusal.Invalid, e.Refusal);
        Assert.Contains(message, e.Message);
        Assert.Empty(_gateway.RefundCalls);
        Assert.Empty(await RefundsAsync(_db, transactionId));
    }

    [Fact]
    public async Task RequestAsync_UnknownTransaction_NotFound()
    {
        var (paymentId, _) = await SeedAsync();

        var e = await Assert.ThrowsAsync<RefundRefusedException>(() => Service().RequestAsync(Request(paymentId, "txn_nope", 100), Admin));

        Assert.Equal(RefundRefusal.NotFound, e.Refusal);
    }

    [Fact]
    public async Task RequestAsync_GatewayWithoutRefundApi_RefusedNotSupportedWithTheReason()
    {
        var (paymentId, transactionId) = await SeedAsync(gatewayId: "vcc");
        _gateway.NotRefundable["vcc"] = "VCC has no refund API.";

        var e = await Assert.ThrowsAsync<RefundRefusedException>(() => Service().RequestAsync(Request(paymentId, transactionId, 100), Admin));
        var quote = await Service().QuoteAsync(paymentId, transactionId);

        Assert.Equal(RefundRefusal.NotSupported, e.Refusal);
        Assert.Equal("VCC has no refund API.", e.Message);
        Assert.Equal("VCC has no refund API.", quote.NotRefundableReason);
        Assert.Equal((10_000L, 0L), (quote.Confirmed, quote.Refundable));
        Assert.False(quote.CanRefund);
        Assert.Contains(await AuditAsync(_db, paymentId), a => a.Action == "refund.refused");
    }

    [Fact]
    public async Task RequestAsync_LostAnswer_PendingVerificationAmountStaysHeld()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Lost);

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 4_000), Admin);

        Assert.Equal(RefundStatus.PendingVerification, result.Refund.Status);
        Assert.Contains("timeout", result.Refund.GatewayMessage);
        var quote = await Service().QuoteAsync(paymentId, transactionId);
        Assert.Equal((0L, 4_000L, 6_000L), (quote.Refunded, quote.Pending, quote.Refundable));
        Assert.Equal(TransactionStatus.Confirmed, quote.Status);
    }

    [Fact]
    public async Task VerifyOpenRefunds_QueryDeclined_FailedAndFreed()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Lost).AnswerQuery(FakeRefundGateway.Decline);
        var service = Service();
        await service.RequestAsync(Request(paymentId, transactionId, 4_000), Admin);

        var result = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(new RefundVerificationResult(1, 0, 1, 0), result);
        Assert.Equal(10_000, (await service.QuoteAsync(paymentId, transactionId)).Refundable);
        Assert.Single(_gateway.RefundCalls);
    }

    [Fact]
    public async Task VerifyOpenRefunds_NotFoundWithinGraceThenAfter_StaysPendingThenFailsWithClearNote()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Lost).AnswerQuery(FakeRefundGateway.NotFound).AnswerQuery(FakeRefundGateway.NotFound);
        var service = Service();
        var refund = (await service.RequestAsync(Request(paymentId, transactionId, 4_000), Admin)).Refund;

        _clock.Advance(TimeSpan.FromMinutes(5));
        var early = await service.VerifyOpenRefundsAsync(10);
        _clock.Advance(TimeSpan.FromMinutes(6));
        var late = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(new RefundVerificationResult(1, 0, 0, 1), early);
        Assert.Equal(new RefundVerificationResult(1, 0, 1, 0), late);
        var stored = Assert.Single(await RefundsAsync(_db, transactionId));
        Assert.Equal(RefundStatus.Failed, stored.Status);
        Assert.Contains("no record of this refund", stored.GatewayMessage);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.Confirmed, t.Status); // never received: nothing refused, no ImpossibleRefund
        Assert.Equal(0, t.RefundReservedAmount);
        Assert.Single(_gateway.RefundCalls);
        Assert.Equal(2, _gateway.QueryCalls.Count);
        Assert.All(_gateway.QueryCalls, q => Assert.Equal(refund.IdempotencyKey, q.IdempotencyKey));
    }

    [Fact]
    public async Task VerifyOpenRefunds_StillUnknown_StaysPendingVerification()
    {
        var (paymentId, transactionId) = await SeedAsync();
        _gateway.AnswerRefund(FakeRefundGateway.Lost).AnswerQuery(FakeRefundGateway.Lost);
        var service = Service();
        await service.RequestAsync(Request(paymentId, transactionId, 4_000), Admin);

        var result = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(new RefundVerificationResult(1, 0, 0, 1), result);
        Assert.Equal(RefundStatus.PendingVerification, Assert.Single(await RefundsAsync(_db, transactionId)).Status);
    }

    [Fact]
    public async Task VerifyOpenRefunds_PendingLeftByADeadProcess_IsVerifiedOnlyOnceStale()
    {
        var (paymentId, transactionId) = await SeedAsync();
        // The process "dies" after committing Pending, mid-call: the call is cancelled and nothing settles the refund.
        _gateway.During = _ => throw new OperationCanceledException("process stopped");
        var service = Service();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.RequestAsync(Request(paymentId, transactionId, 4_000), Admin));
        _gateway.During = null;
        Assert.Equal(RefundStatus.Pending, Assert.Single(await RefundsAsync(_db, transactionId)).Status);

        var fresh = await service.VerifyOpenRefundsAsync(10);
        _clock.Advance(TimeSpan.FromMinutes(3));
        _gateway.AnswerQuery(FakeRefundGateway.Approve);
        var stale = await service.VerifyOpenRefundsAsync(10);

        Assert.Equal(0, fresh.Checked);
        Assert.Equal(new RefundVerificationResult(1, 1, 0, 0), stale);
        Assert.Equal(4_000, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
    }

    [Fact]
    public async Task Quote_NotCapturedTransaction_NothingRefundableWithReason()
    {
        var at = Start.UtcDateTime.AddMinutes(-10);
        var payment = Payment.Create(new NewPayment { Currency = Portal.Domain.Money.Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
        payment.AddLine(new NewPaymentLine { UnitAmount = 500 });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at, Gateway = new GatewayRef("ecomcharge", "eComCharge"), Status = TransactionStatus.Paid,
            RequestedAmount = 500, ProcessedAmount = 500, ExternalId1 = "uid-paid",
        }, "test");
        await using (var db = _db.CreateDbContext())
        {
            db.Add(payment);
            await db.SaveChangesAsync();
        }

        var quote = await Service().QuoteAsync(payment.Id, t.Id);
        var e = await Assert.ThrowsAsync<RefundRefusedException>(() => Service().RequestAsync(Request(payment.Id, t.Id, 100), Admin));

        Assert.Equal(0, quote.Refundable);
        Assert.Contains("only a captured transaction", quote.NotRefundableReason);
        Assert.Equal(RefundRefusal.Conflict, e.Refusal);
        Assert.Contains("is Paid", e.Message);
    }

    [Fact]
    public async Task RequestAsync_TwentyParallelOnFakeGateway_NeverMoreThanConfirmed()
    {
        var (paymentId, transactionId) = await SeedAsync(10_000);
        var service = Service();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return (await service.RequestAsync(Request(paymentId, transactionId, 3_000), Admin)).Refund.Status.ToString();
            }
            catch (RefundRefusedException e)
            {
                return e.Refusal.ToString();
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o == nameof(RefundStatus.Succeeded)));
        Assert.Equal(17, outcomes.Count(o => o == nameof(RefundRefusal.Conflict)));
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal((9_000L, 0L), (t.RefundedAmount, t.RefundReservedAmount));
    }
}
