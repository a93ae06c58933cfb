using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

public sealed class TransitionTableTests
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(1);

    public static TheoryData<TransactionStatus, TransactionStatus> AllTransactionPairs()
    {
        var data = new TheoryData<TransactionStatus, TransactionStatus>();
        foreach (var from in Enum.GetValues<TransactionStatus>())
        foreach (var to in Enum.GetValues<TransactionStatus>())
            data.Add(from, to);
        return data;
    }

    public static TheoryData<PaymentStatus, PaymentStatus> AllPaymentPairs()
    {
        var data = new TheoryData<PaymentStatus, PaymentStatus>();
        foreach (var from in Enum.GetValues<PaymentStatus>())
        foreach (var to in Enum.GetValues<PaymentStatus>())
            data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllTransactionPairs))]
    public void TransactionChangeStatus_EveryPair_SucceedsExactlyWhenTheTableAllows(TransactionStatus from, TransactionStatus to)
    {
        var transaction = ATransactionIn(from);

        if (TransactionStatusTransitions.IsAllowed(from, to))
        {
            transaction.ChangeStatus(to, "test", At);
            Assert.Equal(to, transaction.Status);
            var last = transaction.Payment!.StatusChanges.Last(c => c.TransactionId == transaction.Id);
            Assert.Equal((from.ToString(), to.ToString(), true, "test", At), (last.FromStatus, last.ToStatus, last.Applied, last.Source, last.AtUtc));
        }
        else
        {
            var e = Assert.Throws<IllegalStatusTransitionException>(() => transaction.ChangeStatus(to, "test", At));
            Assert.Equal(from, transaction.Status);
            Assert.Contains($"from {from} to {to}", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllTransactionPairs))]
    public void TransactionApplyReportedStatus_EveryPair_AppliesAllowedRecordsRefusedIgnoresRepeats(TransactionStatus from, TransactionStatus to)
    {
        var transaction = ATransactionIn(from);
        var historyBefore = transaction.Payment!.StatusChanges.Count(c => c.TransactionId == transaction.Id);

        var outcome = transaction.ApplyReportedStatus(to, "poller:test", At);

        var history = transaction.Payment.StatusChanges.Where(c => c.TransactionId == transaction.Id).ToList();
        if (from == to)
        {
            Assert.Equal(StatusChangeOutcome.Unchanged, outcome);
            Assert.Equal(historyBefore, history.Count);
        }
        else if (TransactionStatusTransitions.IsAllowed(from, to))
        {
            Assert.Equal(StatusChangeOutcome.Applied, outcome);
            Assert.Equal(to, transaction.Status);
            Assert.True(history[^1].Applied);
        }
        else
        {
            Assert.Equal(StatusChangeOutcome.Refused, outcome);
            Assert.Equal(from, transaction.Status);
            Assert.Equal(historyBefore + 1, history.Count);
            Assert.Equal((from.ToString(), to.ToString(), false), (history[^1].FromStatus, history[^1].ToStatus, history[^1].Applied));
            Assert.Contains("Refused", history[^1].Note, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllPaymentPairs))]
    public void PaymentChangeStatus_EveryPair_SucceedsExactlyWhenTheTableAllows(PaymentStatus from, PaymentStatus to)
    {
        var payment = APaymentIn(from);

        if (PaymentStatusTransitions.IsAllowed(from, to))
        {
            payment.ChangeStatus(to, "ui:admin", At);
            Assert.Equal(to, payment.Status);
            var last = payment.StatusChanges[^1];
            Assert.Equal((null as string, from.ToString(), to.ToString(), true), (last.TransactionId, last.FromStatus, last.ToStatus, last.Applied));
        }
        else
        {
            Assert.Throws<IllegalStatusTransitionException>(() => payment.ChangeStatus(to, "ui:admin", At));
            Assert.Equal(from, payment.Status);
        }
    }

    [Theory]
    [MemberData(nameof(AllPaymentPairs))]
    public void PaymentApplyReportedStatus_IllegalPair_IsRecordedNotApplied(PaymentStatus from, PaymentStatus to)
    {
        var payment = APaymentIn(from);
        var before = payment.StatusChanges.Count;

        var outcome = payment.ApplyReportedStatus(to, "poller:voucherly", At);

        var expected = from == to ? StatusChangeOutcome.Unchanged
            : PaymentStatusTransitions.IsAllowed(from, to) ? StatusChangeOutcome.Applied : StatusChangeOutcome.Refused;
        Assert.Equal(expected, outcome);
        Assert.Equal(expected == StatusChangeOutcome.Applied ? to : from, payment.Status);
        Assert.Equal(expected == StatusChangeOutcome.Unchanged ? before : before + 1, payment.StatusChanges.Count);
        if (expected == StatusChangeOutcome.Refused) Assert.False(payment.StatusChanges[^1].Applied);
    }

    [Fact]
    public void PaymentTable_IsExactlyTheDocumentedOne()
    {
        var allowed = Enum.GetValues<PaymentStatus>().SelectMany(f => Enum.GetValues<PaymentStatus>()
            .Where(t => PaymentStatusTransitions.IsAllowed(f, t)).Select(t => $"{f}->{t}")).ToHashSet();

        Assert.Equal(new HashSet<string>
        {
            "Requested->Paid", "Requested->Confirmed", "Requested->Refunded", "Requested->Cancelled", "Requested->Voided", "Requested->Expired",
            "Paid->Confirmed", "Paid->Refunded", "Paid->Cancelled", "Paid->Voided", "Paid->Expired",
            "Confirmed->Refunded",
        }, allowed);
    }

    [Fact]
    public void TransactionTable_RefundedNeverBecomesPaidAgain_AndFinalsHaveNoExit()
    {
        var table = TransactionStatusTransitions.Table;
        Assert.False(table.IsAllowed(TransactionStatus.Refunded, TransactionStatus.Paid));
        foreach (var final in new[] { TransactionStatus.Refunded, TransactionStatus.Failed, TransactionStatus.Cancelled, TransactionStatus.Voided, TransactionStatus.Expired, TransactionStatus.Reversed })
            Assert.True(table.IsFinal(final), $"{final} should be final");
    }

    [Fact]
    public void TransactionTable_LateRequestedOrNextAction_NeverOverwritesAnythingButEachOther()
    {
        foreach (var from in Enum.GetValues<TransactionStatus>().Except([TransactionStatus.Requested, TransactionStatus.NextAction]))
        {
            Assert.False(TransactionStatusTransitions.IsAllowed(from, TransactionStatus.Requested), $"{from} -> Requested");
            Assert.False(TransactionStatusTransitions.IsAllowed(from, TransactionStatus.NextAction), $"{from} -> NextAction");
        }
    }

    [Fact]
    public void TransactionTable_NoMoveBackFromCaptureToAuthorisation()
    {
        foreach (var from in new[] { TransactionStatus.Confirmed, TransactionStatus.RefundedPartially, TransactionStatus.ImpossibleRefund })
        {
            Assert.False(TransactionStatusTransitions.IsAllowed(from, TransactionStatus.Paid));
            Assert.False(TransactionStatusTransitions.IsAllowed(from, TransactionStatus.Confirmed));
        }
    }

    [Fact]
    public void Tables_AreTransitivelyClosed_SoAPollThatMissedStepsCanStillApplyTheLatest()
    {
        AssertClosed(TransactionStatusTransitions.Table);
        AssertClosed(PaymentStatusTransitions.Table);
    }

    [Fact]
    public void Tables_NeverAllowStayingPut()
    {
        Assert.All(Enum.GetValues<TransactionStatus>(), s => Assert.False(TransactionStatusTransitions.IsAllowed(s, s)));
        Assert.All(Enum.GetValues<PaymentStatus>(), s => Assert.False(PaymentStatusTransitions.IsAllowed(s, s)));
    }

    [Fact]
    public void ChangeStatus_NonUtcTime_IsRefused()
    {
        var transaction = ATransactionIn(TransactionStatus.Requested);

        Assert.ThrowsAny<Portal.Domain.DomainException>(() => transaction.ChangeStatus(TransactionStatus.Paid, "test", DateTime.SpecifyKind(At, DateTimeKind.Local)));
        Assert.Equal(TransactionStatus.Requested, transaction.Status);
    }

    private static void AssertClosed<T>(StatusTransitionTable<T> table) where T : struct, Enum
    {
        foreach (var a in Enum.GetValues<T>())
        foreach (var b in table.AllowedFrom(a))
        foreach (var c in table.AllowedFrom(b))
            if (!EqualityComparer<T>.Default.Equals(a, c))
                Assert.True(table.IsAllowed(a, c), $"{a}->{b}->{c} is allowed step by step but {a}->{c} is not");
    }

    private static PaymentTransaction ATransactionIn(TransactionStatus status)
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000)
            .WithTransaction(t => t with { Status = status, ProcessedAmount = 1_000, ConfirmedAmount = 1_000 }).Build();
        return payment.Transactions[0];
    }

    private static Payment APaymentIn(PaymentStatus status)
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).Build();
        if (status != PaymentStatus.Requested) payment.ChangeStatus(status, "setup", PaymentBuilder.T0);
        return payment;
    }
}
