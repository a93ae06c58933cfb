namespace Portal.Domain.Payments;

/// <summary>
/// The one table of transaction (gateway attempt) status changes. The lifecycle is
/// Requested ⇄ NextAction → Paid (authorised) → Confirmed (captured) → RefundedPartially →
/// Refunded, with exits to Failed/Cancelled/Expired before money moves, Voided/Expired/
/// Cancelled/Reversed after authorisation, and ImpossibleRefund when a refund was refused.
/// The table is the transitive closure of that lifecycle (a late poll may skip steps), minus
/// self-moves. Nothing moves back: a refunded transaction never becomes paid again, and no
/// final status is overwritten by a late Requested or NextAction.
/// </summary>
public static class TransactionStatusTransitions
{
    private static readonly TransactionStatus[] AfterCapture =
        [TransactionStatus.RefundedPartially, TransactionStatus.Refunded, TransactionStatus.Reversed, TransactionStatus.ImpossibleRefund];

    private static readonly TransactionStatus[] AfterAuthorisation =
        [TransactionStatus.Confirmed, TransactionStatus.Voided, TransactionStatus.Cancelled, TransactionStatus.Expired, .. AfterCapture];

    private static readonly TransactionStatus[] BeforeMoney =
        [TransactionStatus.Paid, TransactionStatus.Failed, .. AfterAuthorisation];

    public static StatusTransitionTable<TransactionStatus> Table { get; } = new(new Dictionary<TransactionStatus, TransactionStatus[]>
    {
        [TransactionStatus.Requested] = [TransactionStatus.NextAction, .. BeforeMoney],
        [TransactionStatus.NextAction] = [TransactionStatus.Requested, .. BeforeMoney],
        [TransactionStatus.Paid] = AfterAuthorisation,
        [TransactionStatus.Confirmed] = AfterCapture,
        [TransactionStatus.RefundedPartially] = [TransactionStatus.Refunded, TransactionStatus.Reversed, TransactionStatus.ImpossibleRefund],
        [TransactionStatus.ImpossibleRefund] = [TransactionStatus.RefundedPartially, TransactionStatus.Refunded, TransactionStatus.Reversed],
        [TransactionStatus.Refunded] = [],
        [TransactionStatus.Failed] = [],
        [TransactionStatus.Cancelled] = [],
        [TransactionStatus.Voided] = [],
        [TransactionStatus.Expired] = [],
        [TransactionStatus.Reversed] = [],
    });

    public static bool IsAllowed(TransactionStatus from, TransactionStatus to) => Table.IsAllowed(from, to);
}
