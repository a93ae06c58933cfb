namespace Portal.Domain.Payments;

/// <summary>
/// The one table of payment status changes. Forward moves may skip steps (a poller that was
/// away sees Requested then Confirmed); nothing ever moves backwards, and
/// Refunded/Cancelled/Voided/Expired are final.
/// </summary>
public static class PaymentStatusTransitions
{
    public static StatusTransitionTable<PaymentStatus> Table { get; } = new(new Dictionary<PaymentStatus, PaymentStatus[]>
    {
        [PaymentStatus.Requested] = [PaymentStatus.Paid, PaymentStatus.Confirmed, PaymentStatus.Refunded, PaymentStatus.Cancelled, PaymentStatus.Voided, PaymentStatus.Expired],
        [PaymentStatus.Paid] = [PaymentStatus.Confirmed, PaymentStatus.Refunded, PaymentStatus.Cancelled, PaymentStatus.Voided, PaymentStatus.Expired],
        [PaymentStatus.Confirmed] = [PaymentStatus.Refunded],
        [PaymentStatus.Refunded] = [],
        [PaymentStatus.Cancelled] = [],
        [PaymentStatus.Voided] = [],
        [PaymentStatus.Expired] = [],
    });

    public static bool IsAllowed(PaymentStatus from, PaymentStatus to) => Table.IsAllowed(from, to);
}
