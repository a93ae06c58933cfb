namespace Portal.Domain.Payments;

/// <summary>
/// How a payment's status follows from its transactions, where the spec implies it. Evaluated
/// in this order; "holding money" means Paid, Confirmed, RefundedPartially or ImpossibleRefund.
/// <list type="number">
/// <item>No transactions: nothing implied.</item>
/// <item>None holds money and at least one is Refunded: <b>Refunded</b> (everything taken was given back).</item>
/// <item>Σ confirmed of Confirmed/RefundedPartially/ImpossibleRefund attempts ≥ finalAmount: <b>Confirmed</b>
/// (a partial refund leaves the payment Confirmed; the payment status has no partial-refund state).</item>
/// <item>Σ processed of attempts holding money ≥ finalAmount: <b>Paid</b> (authorised, not yet all captured).</item>
/// <item>None holds money, none refunded, at least one Voided: <b>Voided</b>.</item>
/// <item>Otherwise nothing implied: a failed, cancelled or expired attempt leaves the payment open
/// for another attempt; cancelling or expiring the payment itself is the gateway's report to make,
/// and a chargeback (Reversed) does not change the payment status (it shows in paid/remaining).</item>
/// </list>
/// </summary>
public static class PaymentStatusRules
{
    private static readonly IReadOnlySet<TransactionStatus> HoldingMoney = new HashSet<TransactionStatus>
    {
        TransactionStatus.Paid, TransactionStatus.Confirmed, TransactionStatus.RefundedPartially, TransactionStatus.ImpossibleRefund,
    };

    private static readonly IReadOnlySet<TransactionStatus> Captured = new HashSet<TransactionStatus>
    {
        TransactionStatus.Confirmed, TransactionStatus.RefundedPartially, TransactionStatus.ImpossibleRefund,
    };

    public static PaymentStatus? Derive(long finalAmount,
        IEnumerable<(TransactionStatus Status, long ProcessedAmount, long ConfirmedAmount)> transactions)
    {
        var all = transactions.ToList();
        if (all.Count == 0) return null;
        var holding = all.Where(t => HoldingMoney.Contains(t.Status)).ToList();
        if (holding.Count == 0 && all.Any(t => t.Status == TransactionStatus.Refunded)) return PaymentStatus.Refunded;
        var captured = holding.Where(t => Captured.Contains(t.Status)).ToList();
        if (captured.Count > 0 && captured.Sum(t => t.ConfirmedAmount) >= finalAmount) return PaymentStatus.Confirmed;
        if (holding.Count > 0 && holding.Sum(t => t.ProcessedAmount) >= finalAmount) return PaymentStatus.Paid;
        if (holding.Count == 0 && all.Any(t => t.Status == TransactionStatus.Voided)) return PaymentStatus.Voided;
        return null;
    }
}
