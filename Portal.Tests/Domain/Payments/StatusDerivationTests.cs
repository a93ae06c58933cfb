using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

public sealed class StatusDerivationTests
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(1);

    [Fact]
    public void NoTransactions_ImpliesNothing_StaysRequested()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).Build();

        Assert.Null(payment.DeriveStatus());
        Assert.Equal(PaymentStatus.Requested, payment.Status);
    }

    [Fact]
    public void ConfirmedCoveringFinal_MakesPaymentConfirmed_WithDerivedHistory()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();

        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
        var derived = payment.StatusChanges.Single(c => c.TransactionId is null && c.FromStatus is not null);
        Assert.Equal((nameof(PaymentStatus.Requested), nameof(PaymentStatus.Confirmed), Payment.DerivedSource, true),
            (derived.FromStatus, derived.ToStatus, derived.Source, derived.Applied));
    }

    [Fact]
    public void ConfirmedBelowFinal_StaysRequested()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(600).Build();

        Assert.Equal(PaymentStatus.Requested, payment.Status);
        Assert.Equal(400, payment.RemainingAmount);
    }

    [Fact]
    public void TwoConfirmedTogetherCoveringFinal_MakesPaymentConfirmed()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(600).WithConfirmedTransaction(400).Build();

        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
    }

    [Fact]
    public void AuthorisedNotCaptured_MakesPaymentPaid_ThenCaptureMakesItConfirmed()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000)
            .WithTransaction(t => t with { Status = TransactionStatus.Paid, ProcessedAmount = 1_000 }).Build();
        Assert.Equal(PaymentStatus.Paid, payment.Status);

        var transaction = payment.Transactions[0];
        transaction.RecordReportedAmounts(new TransactionAmountsReport(1_000, 1_000, 0, 0, 1_000, 0), "poller", At);
        transaction.ApplyReportedStatus(TransactionStatus.Confirmed, "poller", At);

        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
    }

    [Fact]
    public void FailedAttempt_LeavesPaymentOpenForAnother()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000)
            .WithTransaction(t => t with { Status = TransactionStatus.Failed, Error = TransactionError.Create(TransactionErrorCode.Declined, "Do not honour", "05") })
            .Build();

        Assert.Null(payment.DeriveStatus());
        Assert.Equal(PaymentStatus.Requested, payment.Status);
    }

    [Fact]
    public void FullRefund_MakesPaymentRefunded()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();

        payment.Transactions[0].RecordRefund(1_000, "ui:admin", At);

        Assert.Equal(TransactionStatus.Refunded, payment.Transactions[0].Status);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
    }

    [Fact]
    public void PartialRefund_LeavesPaymentConfirmed()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();

        payment.Transactions[0].RecordRefund(300, "ui:admin", At);

        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
    }

    [Fact]
    public void AuthorisationVoided_MakesPaymentVoided()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000)
            .WithTransaction(t => t with { Status = TransactionStatus.Paid, ProcessedAmount = 1_000 }).Build();

        payment.Transactions[0].ApplyReportedStatus(TransactionStatus.Voided, "poller", At);

        Assert.Equal(PaymentStatus.Voided, payment.Status);
    }

    [Fact]
    public void DerivedMoveTheTableRefuses_IsRecordedOnceNotApplied()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).Build();
        payment.ApplyReportedStatus(PaymentStatus.Cancelled, "poller", At);

        var late = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = At, Status = TransactionStatus.Confirmed, ProcessedAmount = 1_000, ConfirmedAmount = 1_000,
        }, "webhook:ecomcharge");
        late.SetHolder("Ann Smith", null, "poller", At.AddMinutes(1));
        late.SetHolder("Ann Smith", null, "poller", At.AddMinutes(2));

        Assert.Equal(PaymentStatus.Cancelled, payment.Status);
        var refused = payment.StatusChanges.Where(c => c.TransactionId is null && !c.Applied).ToList();
        Assert.Single(refused);
        Assert.Equal((nameof(PaymentStatus.Cancelled), nameof(PaymentStatus.Confirmed)), (refused[0].FromStatus, refused[0].ToStatus));
    }

    [Fact]
    public void ChargebackAfterConfirm_DoesNotChangePaymentStatus_ButReopensRemaining()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();

        payment.Transactions[0].ApplyReportedStatus(TransactionStatus.Reversed, "webhook", At);

        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
        Assert.Equal(0, payment.PaidAmount);
        Assert.Equal(1_000, payment.RemainingAmount);
    }

    [Fact]
    public void ReportedRefundedTransactionLaterReportedPaid_StaysRefundedAndIsFlagged()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();
        var transaction = payment.Transactions[0];
        transaction.RecordRefund(1_000, "ui:admin", At);

        var outcome = transaction.ApplyReportedStatus(TransactionStatus.Paid, "poller:voucherly", At.AddMinutes(5));

        Assert.Equal(StatusChangeOutcome.Refused, outcome);
        Assert.Equal(TransactionStatus.Refunded, transaction.Status);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.Contains(payment.StatusChanges, c => c.TransactionId == transaction.Id && !c.Applied && c.ToStatus == "Paid");
    }
}
