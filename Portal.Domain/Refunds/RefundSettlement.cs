using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;

namespace Portal.Domain.Refunds;

/// <summary>
/// The database side of a refund: reserving its amount before the gateway is called, and
/// settling it (succeeded / failed) afterwards. Shared by the refund service, its verification
/// job and the webhook applier so a refund is settled the same way whoever learns the outcome
/// first. Every method runs inside the caller's database transaction.
/// </summary>
internal static class RefundSettlement
{
    private static readonly TransactionStatus[] Refundable =
        [TransactionStatus.Confirmed, TransactionStatus.RefundedPartially, TransactionStatus.ImpossibleRefund];

    /// <summary>
    /// Reserves <paramref name="amount"/> on the transaction in ONE conditional update: only when
    /// confirmed − refunded − already reserved still covers it, the status allows refunds, and the
    /// transaction has had fewer than <paramref name="maxAttempts"/> refunds. The database decides,
    /// so two admins (or twenty requests) can never reserve more than is there. The update also
    /// bumps the transaction's concurrency token: the release does not (it runs next to a tracked
    /// save of the same transaction in <see cref="SucceedAsync"/>, which would then conflict with itself).
    /// </summary>
    public static async Task<bool> TryReserveAsync(DbContext db, string paymentId, string transactionId, long amount, int maxAttempts,
        CancellationToken cancellationToken)
    {
        var rows = await db.Set<PaymentTransaction>()
            .Where(t => t.Id == transactionId && t.PaymentId == paymentId
                        && Refundable.Contains(t.Status)
                        && t.ConfirmedAmount - t.RefundedAmount - t.RefundReservedAmount >= amount
                        && db.Set<Refund>().Count(r => r.TransactionId == transactionId) < maxAttempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.RefundReservedAmount, t => t.RefundReservedAmount + amount)
                // A new version, so a writer that loaded the transaction before this reservation (the
                // Voucherly sync, say) fails its concurrency check instead of saving over it.
                .SetProperty(t => t.Version, t => t.Version + 1), cancellationToken);
        return rows == 1;
    }

    /// <summary>
    /// The gateway moved the money: the transaction records the refund (its status and the
    /// payment's amounts and status follow), the reservation (if the refund still held one) is
    /// released, and the refund is Succeeded. Returns refunded-before and refunded-after.
    /// </summary>
    public static async Task<(long Before, long After)> SucceedAsync(DbContext db, Refund refund, string? gatewayRefundId, string? message,
        string source, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var heldReservation = refund.IsOpen;
        var transaction = await LoadTransactionAsync(db, refund, cancellationToken);
        var before = transaction.RefundedAmount;
        string? problem = null;
        try
        {
            transaction.RecordRefund(refund.Amount, source, nowUtc);
        }
        catch (RefundNotAllowedException ex)
        {
            // The gateway has refunded; the model refuses to count it (e.g. an external refund took
            // the rest meanwhile). Keep the truth visible instead of hiding the gateway's answer.
            problem = "The gateway refunded this, but the transaction could not record it: " + ex.Message;
        }
        refund.MarkSucceeded(gatewayRefundId, problem ?? message, nowUtc);
        if (heldReservation) await ReleaseAsync(db, refund, cancellationToken);
        return (before, transaction.RefundedAmount);
    }

    /// <summary>
    /// Nothing moved: the refund is Failed and its amount is free again. When the gateway itself
    /// refused (<paramref name="gatewayRefused"/>), the transaction is flagged ImpossibleRefund with
    /// the gateway's message; a refund the gateway never received does not flag anything.
    /// </summary>
    public static async Task FailAsync(DbContext db, Refund refund, string? gatewayRefundId, string message, bool gatewayRefused,
        string source, DateTime nowUtc, CancellationToken cancellationToken)
    {
        refund.MarkFailed(gatewayRefundId, message, nowUtc);
        await ReleaseAsync(db, refund, cancellationToken);
        if (!gatewayRefused) return;
        var transaction = await LoadTransactionAsync(db, refund, cancellationToken);
        if (Refundable.Contains(transaction.Status))
            transaction.MarkImpossibleRefund(message, source, nowUtc);
    }

    private static async Task ReleaseAsync(DbContext db, Refund refund, CancellationToken cancellationToken)
    {
        var rows = await db.Set<PaymentTransaction>()
            .Where(t => t.Id == refund.TransactionId && t.RefundReservedAmount >= refund.Amount)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RefundReservedAmount, t => t.RefundReservedAmount - refund.Amount), cancellationToken);
        if (rows != 1)
            throw new InvalidOperationException(
                $"Refund {refund.Id} held {refund.Amount} on transaction {refund.TransactionId}, but the reservation is smaller: the books are inconsistent.");
    }

    private static async Task<PaymentTransaction> LoadTransactionAsync(DbContext db, Refund refund, CancellationToken cancellationToken)
    {
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == refund.PaymentId, cancellationToken);
        return payment.FindTransaction(refund.TransactionId);
    }
}
