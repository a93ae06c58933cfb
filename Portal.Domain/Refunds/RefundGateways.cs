using Portal.Domain.Gateways;
using Portal.Domain.Payments;

namespace Portal.Domain.Refunds;

/// <summary>What the portal knows about the transaction being refunded, for choosing and calling its gateway.</summary>
/// <param name="GatewayTransactionId">The gateway's id of the transaction (eComCharge parent uid), when known.</param>
/// <param name="GatewayPaymentId">The payment's id at its source, when it differs from the portal's (Voucherly's payment id).</param>
public sealed record RefundTarget(
    string PaymentId,
    PaymentSource PaymentSource,
    string TransactionId,
    string? GatewayId,
    string? GatewayName,
    string? GatewayTransactionId,
    string? GatewayPaymentId = null);

/// <summary>One refund as sent to (or asked about at) a gateway.</summary>
/// <param name="RefundedBefore">What the portal had recorded as refunded on the transaction when the refund was asked for (lets a gateway without keys be checked).</param>
public sealed record RefundCall(
    RefundTarget Target,
    long AmountMinor,
    string Currency,
    string Reason,
    string IdempotencyKey,
    long RefundedBefore);

/// <summary>A gateway that can refund: send a refund, and find out what happened to one by its idempotency key.</summary>
public interface IRefundGateway
{
    /// <summary>Sends the refund once. Never throws for the gateway's answer: declines and lost answers come back as results.</summary>
    Task<GatewayResult> RefundAsync(RefundCall call, CancellationToken cancellationToken);

    /// <summary>
    /// What became of an earlier refund, WITHOUT sending a new one: Approved/Declined when the
    /// gateway knows it, NotFound when it never recorded it, Unknown/Pending when it cannot tell yet.
    /// </summary>
    Task<GatewayResult> QueryAsync(RefundCall call, CancellationToken cancellationToken);
}

/// <summary>
/// The port "which gateway refunds this transaction". The web layer implements it by gateway id;
/// null with a reason when the transaction's gateway offers the portal no refund API.
/// </summary>
public interface IRefundGateways
{
    IRefundGateway? For(RefundTarget target, out string? notRefundableReason);
}
