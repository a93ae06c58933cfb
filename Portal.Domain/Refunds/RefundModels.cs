using Portal.Domain.Payments;

namespace Portal.Domain.Refunds;

/// <summary>An admin's refund request (page, API or job): amount in minor units of the transaction's currency.</summary>
public sealed record RequestRefund(
    string PaymentId,
    string TransactionId,
    long AmountMinor,
    string Currency,
    RefundReason Reason,
    string? Note,
    string IdempotencyKey);

/// <summary>A refund as the page and the API show it.</summary>
public sealed record RefundView(
    string Id,
    string PaymentId,
    string TransactionId,
    long Amount,
    string Currency,
    RefundReason Reason,
    string? Note,
    RefundStatus Status,
    string IdempotencyKey,
    string? GatewayRefundId,
    string? GatewayMessage,
    string RequestedByName,
    DateTime CreatedAtUtc,
    DateTime? CompletedAtUtc)
{
    internal static RefundView From(Refund r) => new(r.Id, r.PaymentId, r.TransactionId, r.Amount, r.Currency.Code, r.Reason, r.Note,
        r.Status, r.IdempotencyKey, r.GatewayRefundId, r.GatewayMessage, r.RequestedByName, r.CreatedAtUtc, r.CompletedAtUtc);
}

/// <summary>The outcome of a request: <paramref name="Created"/> is false when the idempotency key found an earlier refund.</summary>
public sealed record RefundRequestResult(RefundView Refund, bool Created);

/// <summary>
/// What the refund dialog shows: confirmed, already refunded, pending refunds and what is still
/// refundable (confirmed − succeeded − pending, never negative), all in minor units.
/// </summary>
public sealed record RefundQuote(
    string PaymentId,
    string TransactionId,
    string Currency,
    TransactionStatus Status,
    long Confirmed,
    long Refunded,
    long Pending,
    long Refundable,
    int AttemptsUsed,
    int MaxAttempts,
    string? NotRefundableReason)
{
    public bool CanRefund => NotRefundableReason is null && Refundable > 0;
}

/// <param name="Checked">Open refunds this round claimed and asked the gateway about.</param>
/// <param name="Flagged">Still open past <see cref="RefundOptions.FlagAfterHours"/>: flagged for a person, amount still reserved.</param>
public sealed record RefundVerificationResult(int Checked, int Succeeded, int Failed, int StillPending, int Flagged = 0);
