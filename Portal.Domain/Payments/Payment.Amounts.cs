namespace Portal.Domain.Payments;

/// <summary>
/// The payment's amounts: recomputed from its parts (<see cref="PaymentAmounts"/>) and, beside
/// them, what the gateway reported, so a disagreement is visible and searchable.
/// </summary>
public sealed partial class Payment
{
    /// <summary>The spec's <c>totalAmount</c>: sum of line finals, before payment-level discounts.</summary>
    public long TotalAmount { get; private set; }

    public long DiscountAmount { get; private set; }

    public long FinalAmount { get; private set; }

    public long PaidAmount { get; private set; }

    public long PaidVoucherAmount { get; private set; }

    /// <summary>The spec's payment <c>amount</c>: what is still to be paid.</summary>
    public long RemainingAmount { get; private set; }

    public long? ReportedTotalAmount { get; private set; }

    public long? ReportedDiscountAmount { get; private set; }

    public long? ReportedFinalAmount { get; private set; }

    public long? ReportedPaidAmount { get; private set; }

    public long? ReportedPaidVoucherAmount { get; private set; }

    public long? ReportedRemainingAmount { get; private set; }

    /// <summary>True when any reported total differs from the recomputed one; indexed so such payments can be listed.</summary>
    public bool TotalsMismatch { get; private set; }

    /// <summary>
    /// Recomputes every amount from lines, discounts and transactions and re-checks the reported
    /// totals. Idempotent. Needs the whole aggregate loaded (<see cref="PaymentQueries.WithAggregate"/>):
    /// on a payment loaded without its parts it would compute zeros.
    /// </summary>
    public AmountsBreakdown RecomputeAmounts()
    {
        var result = PaymentAmounts.Compute(_lines.Select(l => l.Amounts), _discounts.Select(d => d.Rule),
            _transactions.Select(t => t.PaidAmounts));
        for (var i = 0; i < _lines.Count; i++) _lines[i].SetFinalAmount(result.LineFinalAmounts[i]);
        for (var i = 0; i < _discounts.Count; i++) _discounts[i].SetAppliedAmount(result.DiscountAppliedAmounts[i]);
        TotalAmount = result.TotalAmount;
        DiscountAmount = result.DiscountAmount;
        FinalAmount = result.FinalAmount;
        PaidAmount = result.PaidAmount;
        PaidVoucherAmount = result.PaidVoucherAmount;
        RemainingAmount = result.RemainingAmount;
        TotalsMismatch = ComputeMismatch();
        return result;
    }

    /// <summary>Stores the totals a gateway reported (null = not reported) and flags a disagreement.</summary>
    public void RecordReportedTotals(ReportedTotals reported, DateTime atUtc)
    {
        ReportedTotalAmount = reported.TotalAmount;
        ReportedDiscountAmount = reported.DiscountAmount;
        ReportedFinalAmount = reported.FinalAmount;
        ReportedPaidAmount = reported.PaidAmount;
        ReportedPaidVoucherAmount = reported.PaidVoucherAmount;
        ReportedRemainingAmount = reported.RemainingAmount;
        TotalsMismatch = ComputeMismatch();
        Touch(Text.Utc(atUtc, "report time"));
    }

    private bool ComputeMismatch() =>
        Differs(ReportedTotalAmount, TotalAmount) || Differs(ReportedDiscountAmount, DiscountAmount)
        || Differs(ReportedFinalAmount, FinalAmount) || Differs(ReportedPaidAmount, PaidAmount)
        || Differs(ReportedPaidVoucherAmount, PaidVoucherAmount) || Differs(ReportedRemainingAmount, RemainingAmount);

    private static bool Differs(long? reported, long computed) => reported is { } value && value != computed;
}
