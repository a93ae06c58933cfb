namespace Portal.Domain.Payments;

/// <summary>
/// The refund rules of an attempt. The refund service (which calls the gateway) comes later;
/// the ceiling lives here so no caller can get around it.
/// </summary>
public sealed partial class PaymentTransaction
{
    private static readonly IReadOnlySet<TransactionStatus> RefundableStatuses = new HashSet<TransactionStatus>
    {
        TransactionStatus.Confirmed,
        TransactionStatus.RefundedPartially,
        TransactionStatus.ImpossibleRefund,
    };

    /// <summary>
    /// confirmed − refunded while the attempt is in a status that can still be refunded
    /// (Confirmed, RefundedPartially, or ImpossibleRefund when a refund is retried); 0 otherwise,
    /// e.g. for an authorised-but-not-captured (Paid) or reversed attempt.
    /// </summary>
    public long RefundableAmount => RefundableStatuses.Contains(Status) ? Math.Max(0, ConfirmedAmount - RefundedAmount) : 0;

    /// <summary>
    /// Sum of the portal's refunds sent (or about to be sent) to the gateway and not yet answered.
    /// Changed ONLY by the refund service's conditional updates in the database
    /// (<c>WHERE ConfirmedAmount − RefundedAmount − RefundReservedAmount ≥ amount</c>), never
    /// through this entity, so two admins cannot both reserve the last euro.
    /// </summary>
    public long RefundReservedAmount { get; private set; }

    /// <summary>What a new refund may still take: refundable minus what pending refunds hold (never negative).</summary>
    public long AvailableToRefund => Math.Max(0, RefundableAmount - RefundReservedAmount);

    /// <summary>Statuses in which a refund may be asked for (the refund service's conditional update uses the same list).</summary>
    public static IReadOnlyCollection<TransactionStatus> StatusesAllowingRefund => RefundableStatuses;

    /// <summary>
    /// Records a refund the gateway accepted: 0 &lt; amount ≤ <see cref="RefundableAmount"/>.
    /// Moves to Refunded when nothing is left, otherwise to RefundedPartially (staying there on a
    /// further partial refund).
    /// </summary>
    /// <exception cref="RefundNotAllowedException">Amount not positive, above what is refundable, or the status does not allow refunds.</exception>
    public void RecordRefund(long amount, string source, DateTime atUtc)
    {
        Text.Utc(atUtc, "refund time");
        if (amount <= 0) throw new RefundNotAllowedException($"A refund must be more than 0; {Of(amount)} was asked for.");
        if (!RefundableStatuses.Contains(Status))
            throw new RefundNotAllowedException($"Transaction {Id} is {Status}; only a confirmed transaction can be refunded.");
        var refundable = RefundableAmount;
        if (amount > refundable)
            throw new RefundNotAllowedException($"A refund of {Of(amount)} exceeds the {Of(refundable)} still refundable on transaction {Id} (confirmed {Of(ConfirmedAmount)}, refunded {Of(RefundedAmount)}).");

        RefundedAmount += amount;
        var to = RefundedAmount == ConfirmedAmount ? TransactionStatus.Refunded : TransactionStatus.RefundedPartially;
        if (to == Status) Changed(source, atUtc);
        else ChangeStatus(to, source, atUtc, $"Refund of {Of(amount)}.");
    }

    /// <summary>"60.00 EUR": an amount of this attempt for a message.</summary>
    private string Of(long minor) => new Money.Money(minor, Currency).ToString();

    /// <summary>The gateway refused a refund for good (e.g. the card account is closed): the attempt is flagged with the reason.</summary>
    public void MarkImpossibleRefund(string message, string source, DateTime atUtc)
    {
        var reason = Text.Required(message, 1000, "reason");
        Error = TransactionError.Create(TransactionErrorCode.Generic, reason);
        if (Status == TransactionStatus.ImpossibleRefund) Changed(source, Text.Utc(atUtc, "report time"));
        else ChangeStatus(TransactionStatus.ImpossibleRefund, source, atUtc, reason);
    }
}
