using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

public sealed class RefundRecordingTests
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(1);

    private static PaymentTransaction Confirmed(long amount = 1_000) =>
        PaymentBuilder.APayment().WithLine(amount).WithConfirmedTransaction(amount).Build().Transactions[0];

    [Fact]
    public void RecordRefund_ExactRemaining_IsAcceptedAndMakesItRefunded()
    {
        var transaction = Confirmed();
        transaction.RecordRefund(400, "ui:admin", At);

        transaction.RecordRefund(600, "ui:admin", At);

        Assert.Equal(1_000, transaction.RefundedAmount);
        Assert.Equal(0, transaction.RefundableAmount);
        Assert.Equal(TransactionStatus.Refunded, transaction.Status);
    }

    [Fact]
    public void RecordRefund_RemainingPlusOne_IsRefusedAndChangesNothing()
    {
        var transaction = Confirmed();
        transaction.RecordRefund(400, "ui:admin", At);

        var e = Assert.Throws<RefundNotAllowedException>(() => transaction.RecordRefund(601, "ui:admin", At));

        Assert.Contains("A refund of 6.01 EUR exceeds the 6.00 EUR still refundable", e.Message, StringComparison.Ordinal);
        Assert.Equal(400, transaction.RefundedAmount);
        Assert.Equal(TransactionStatus.RefundedPartially, transaction.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void RecordRefund_ZeroOrNegative_IsRefused(long amount)
    {
        var transaction = Confirmed();

        Assert.Throws<RefundNotAllowedException>(() => transaction.RecordRefund(amount, "ui:admin", At));
        Assert.Equal(0, transaction.RefundedAmount);
    }

    [Fact]
    public void RecordRefund_SeveralPartials_StayPartiallyRefundedUntilTheLast()
    {
        var transaction = Confirmed();

        transaction.RecordRefund(100, "ui:admin", At);
        transaction.RecordRefund(200, "ui:admin", At);

        Assert.Equal(TransactionStatus.RefundedPartially, transaction.Status);
        Assert.Equal(700, transaction.RefundableAmount);
        Assert.Single(transaction.Payment!.StatusChanges, c => c.TransactionId == transaction.Id && c.ToStatus == "RefundedPartially");
    }

    [Theory]
    [InlineData(TransactionStatus.Paid)]
    [InlineData(TransactionStatus.Requested)]
    [InlineData(TransactionStatus.Failed)]
    [InlineData(TransactionStatus.Reversed)]
    public void RecordRefund_NotCaptured_IsRefusedAndNothingIsRefundable(TransactionStatus status)
    {
        var transaction = PaymentBuilder.APayment().WithLine(1_000)
            .WithTransaction(t => t with { Status = status, ProcessedAmount = 1_000, ConfirmedAmount = 1_000 }).Build().Transactions[0];

        Assert.Equal(0, transaction.RefundableAmount);
        Assert.Throws<RefundNotAllowedException>(() => transaction.RecordRefund(1, "ui:admin", At));
    }

    [Fact]
    public void MarkImpossibleRefund_FlagsWithReason_AndARetryCanStillRefund()
    {
        var transaction = Confirmed();

        transaction.MarkImpossibleRefund("Card account closed", "job:refunds", At);

        Assert.Equal(TransactionStatus.ImpossibleRefund, transaction.Status);
        Assert.Equal("Card account closed", transaction.Error!.ExternalMessage);
        Assert.Equal(1_000, transaction.RefundableAmount);
        transaction.RecordRefund(1_000, "ui:admin", At.AddDays(1));
        Assert.Equal(TransactionStatus.Refunded, transaction.Status);
    }

    [Fact]
    public void RecordReportedAmounts_RefundedAboveConfirmed_IsRefused()
    {
        var transaction = Confirmed();

        Assert.ThrowsAny<Portal.Domain.DomainException>(() =>
            transaction.RecordReportedAmounts(new TransactionAmountsReport(1_000, 1_000, 0, 0, 1_000, 1_001), "poller", At));
        Assert.Equal(0, transaction.RefundedAmount);
    }

    [Fact]
    public void RecordRefund_BumpsVersionsUsedAsConcurrencyTokens()
    {
        var transaction = Confirmed();
        var (tx, pay) = (transaction.Version, transaction.Payment!.Version);

        transaction.RecordRefund(10, "ui:admin", At);

        Assert.True(transaction.Version > tx);
        Assert.True(transaction.Payment.Version > pay);
    }
}
