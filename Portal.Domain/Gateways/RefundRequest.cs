namespace Portal.Domain.Gateways;

/// <summary>A (partial) refund of an earlier successful gateway transaction.</summary>
/// <param name="ParentTransactionId">The gateway's id of the transaction being refunded.</param>
/// <param name="AmountMinor">Amount to refund in minor units (positive, at most what is still refundable).</param>
/// <param name="Currency">ISO 4217 code, upper case (the parent's currency).</param>
/// <param name="Reason">Why; sent to the gateway.</param>
/// <param name="IdempotencyKey">Sent as the refund's tracking id; makes the request safe to retry and findable.</param>
public sealed record RefundRequest(
    string ParentTransactionId,
    long AmountMinor,
    string Currency,
    string Reason,
    string? IdempotencyKey);
