using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

public sealed class PaidAmountTests
{
    public static TheoryData<TransactionStatus, bool> StatusesAndWhetherMoneyWasTaken => new()
    {
        { TransactionStatus.Requested, false },
        { TransactionStatus.NextAction, false },
        { TransactionStatus.Paid, true },
        { TransactionStatus.Confirmed, true },
        { TransactionStatus.RefundedPartially, true },
        { TransactionStatus.Refunded, true },
        { TransactionStatus.ImpossibleRefund, true },
        { TransactionStatus.Failed, false },
        { TransactionStatus.Cancelled, false },
        { TransactionStatus.Voided, false },
        { TransactionStatus.Expired, false },
        { TransactionStatus.Reversed, false },
    };

    [Theory]
    [MemberData(nameof(StatusesAndWhetherMoneyWasTaken))]
    public void PaidAmount_CountsProcessedAmountOnlyOfMoneyTakenStatuses(TransactionStatus status, bool counts)
    {
        var result = PaymentAmounts.Compute([new LineAmounts(1, 1_000)], [], [new TransactionAmounts(status, 700, 200)]);

        Assert.Equal(counts ? 700 : 0, result.PaidAmount);
        Assert.Equal(counts ? 200 : 0, result.PaidVoucherAmount);
        Assert.Equal(counts ? 300 : 1_000, result.RemainingAmount);
    }

    [Fact]
    public void Remaining_PaidMoreThanFinal_IsZeroNotNegative()
    {
        var result = PaymentAmounts.Compute([new LineAmounts(1, 1_000)], [],
            [new TransactionAmounts(TransactionStatus.Confirmed, 900), new TransactionAmounts(TransactionStatus.Paid, 600)]);

        Assert.Equal(1_500, result.PaidAmount);
        Assert.Equal(0, result.RemainingAmount);
    }

    [Fact]
    public void Payment_AddTransaction_RecomputesPaidAndRemaining()
    {
        var payment = PaymentBuilder.APayment().WithLine(2_000)
            .WithTransaction(t => t with { Status = TransactionStatus.Failed, ProcessedAmount = 2_000 })
            .WithTransaction(t => t with { Status = TransactionStatus.Confirmed, ProcessedAmount = 1_500, ConfirmedAmount = 1_500, VoucherAmount = 500, NoOfVouchers = 2 })
            .Build();

        Assert.Equal(1_500, payment.PaidAmount);
        Assert.Equal(500, payment.PaidVoucherAmount);
        Assert.Equal(500, payment.RemainingAmount);
    }

    [Fact]
    public void ReportedTotals_Disagreeing_SetsMismatch_AgreeingClearsIt()
    {
        var payment = PaymentBuilder.APayment().WithLine(2_000).Build();

        payment.RecordReportedTotals(new ReportedTotals(TotalAmount: 2_000, FinalAmount: 1_999), PaymentBuilder.T0);
        Assert.True(payment.TotalsMismatch);

        payment.RecordReportedTotals(new ReportedTotals(TotalAmount: 2_000, FinalAmount: 2_000, RemainingAmount: 2_000), PaymentBuilder.T0);
        Assert.False(payment.TotalsMismatch);
        Assert.Equal(2_000, payment.ReportedFinalAmount);
    }

    [Fact]
    public void ReportedTotals_BecomeRightAfterTransaction_MismatchClears()
    {
        var payment = PaymentBuilder.APayment().WithLine(2_000)
            .WithReportedTotals(new ReportedTotals(PaidAmount: 2_000, RemainingAmount: 0)).Build();
        Assert.True(payment.TotalsMismatch);

        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = PaymentBuilder.T0.AddHours(2), Status = TransactionStatus.Confirmed, ProcessedAmount = 2_000, ConfirmedAmount = 2_000,
        }, "test");

        Assert.False(payment.TotalsMismatch);
    }
}
