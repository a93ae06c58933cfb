using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;
using Portal.Gateways.EComCharge;
using Portal.Gateways.Voucherly;

namespace Portal.Refunds;

/// <summary>
/// "Which gateway refunds this transaction", by the transaction's gateway id:
/// <list type="bullet">
/// <item><c>ecomcharge</c> → <see cref="EComChargeRefunds"/> (refund by parent uid, query by tracking id);</item>
/// <item>a payment imported from Voucherly, or a gateway id starting with <c>voucherly</c> → <see cref="VoucherlyRefunds"/>;</item>
/// <item>VCC phone payments and card-gateway callbacks: not refundable from the portal (neither contract has a refund API).</item>
/// </list>
/// </summary>
public sealed class PortalRefundGateways(EComChargeGateway ecomCharge, VoucherlyClient voucherly) : IRefundGateways
{
    public IRefundGateway? For(RefundTarget target, out string? notRefundableReason)
    {
        ArgumentNullException.ThrowIfNull(target);
        var gateway = target.GatewayId?.Trim().ToLowerInvariant();
        notRefundableReason = null;
        if (gateway == EComChargeGateway.GatewayName)
        {
            if (!string.IsNullOrWhiteSpace(target.GatewayTransactionId)) return new EComChargeRefunds(ecomCharge);
            notRefundableReason = "eComCharge has not given this transaction its id yet, so it cannot be refunded; wait for the status poller and try again.";
            return null;
        }
        if (target.PaymentSource == PaymentSource.Voucherly || gateway?.StartsWith("voucherly", StringComparison.Ordinal) == true)
            return new VoucherlyRefunds(voucherly);
        notRefundableReason = gateway switch
        {
            "vcc" => "Phone payments taken through the contact centre (VCC) cannot be refunded from the portal: the VCC contract has no refund API. Refund it in the payment provider's back office.",
            "cardgateway" => "Card-gateway payments cannot be refunded from the portal: the card gateway's contract has no refund API. Refund it in the card gateway's back office.",
            null or "" => "The transaction has no gateway, so the portal cannot refund it.",
            _ => $"The portal has no refund API for gateway '{target.GatewayName ?? target.GatewayId}'.",
        };
        return null;
    }
}

/// <summary>
/// eComCharge refunds: <c>POST /transactions/refunds</c> with the parent uid and the refund's
/// idempotency key as tracking id; the outcome of a lost answer is found with
/// <c>GET /transactions/tracking_id/{key}</c>. An answer about anything but a refund of this
/// parent (a tracking id that collides with another transaction) is never taken as success.
/// </summary>
internal sealed class EComChargeRefunds(IPaymentGateway gateway) : IRefundGateway
{
    public async Task<GatewayResult> RefundAsync(RefundCall call, CancellationToken cancellationToken) =>
        Check(call, await gateway.RefundAsync(new RefundRequest(call.Target.GatewayTransactionId!, call.AmountMinor, call.Currency, call.Reason,
            call.IdempotencyKey), cancellationToken));

    public async Task<GatewayResult> QueryAsync(RefundCall call, CancellationToken cancellationToken) =>
        Check(call, await gateway.QueryByIdempotencyKeyAsync(call.IdempotencyKey, cancellationToken));

    private static GatewayResult Check(RefundCall call, GatewayResult result)
    {
        if (result is not (GatewayResult.Approved or GatewayResult.Declined or GatewayResult.Pending)) return result;
        if (result.TransactionType is { } type && !string.Equals(type, "refund", StringComparison.OrdinalIgnoreCase))
            return new GatewayResult.Unknown($"eComCharge answered with a {type} for tracking id {call.IdempotencyKey}, not a refund: a person must check it.");
        if (result.ParentTransactionId is { } parent && parent != call.Target.GatewayTransactionId)
            return new GatewayResult.Unknown($"eComCharge answered with a refund of {parent}, not of {call.Target.GatewayTransactionId}: a person must check it.");
        if (result is GatewayResult.Approved a && a.AmountMinor != call.AmountMinor)
            return new GatewayResult.Unknown($"eComCharge approved {a.AmountMinor}, not the {call.AmountMinor} asked for: a person must check it.");
        return result;
    }
}

/// <summary>
/// Voucherly refunds on the documented ASSUMPTION (docs/sandbox.md, <see cref="VoucherlyClient"/>):
/// <c>POST /payments/{id}/refund</c> with <c>{transactionId, amount}</c>, using Voucherly's payment id
/// (from the sync's link, else the portal's id, which the import adopts) and the transaction's id
/// (the import always adopts Voucherly's transaction ids).
/// The call carries no idempotency key, so the outcome of a lost answer is found by reading the
/// payment and comparing the transaction's refundedAmount with what the portal had recorded.
/// </summary>
internal sealed class VoucherlyRefunds(VoucherlyClient client) : IRefundGateway
{
    public async Task<GatewayResult> RefundAsync(RefundCall call, CancellationToken cancellationToken)
    {
        var result = await client.RefundAsync(VoucherlyId(call), call.Target.TransactionId, call.AmountMinor, cancellationToken);
        return result switch
        {
            VoucherlyResult.Ok => new GatewayResult.Approved(call.Target.TransactionId, call.AmountMinor, call.Currency)
            {
                Message = "Refunded by Voucherly.",
            },
            VoucherlyResult.Rejected r => new GatewayResult.Declined(null, r.Message, $"http_{r.StatusCode}", IsHardDecline: true),
            VoucherlyResult.NotFound n => new GatewayResult.Declined(null, n.Message ?? $"Voucherly does not know payment {VoucherlyId(call)}.", "http_404", IsHardDecline: true),
            VoucherlyResult.Unknown u => new GatewayResult.Unknown(u.Reason),
            _ => new GatewayResult.Unknown("unexpected answer from Voucherly"),
        };
    }

    public async Task<GatewayResult> QueryAsync(RefundCall call, CancellationToken cancellationToken)
    {
        var result = await client.GetPaymentAsync(VoucherlyId(call), cancellationToken);
        if (result is VoucherlyResult.NotFound) return new GatewayResult.NotFound($"Voucherly does not know payment {VoucherlyId(call)}.");
        if (result is not VoucherlyResult.Ok ok) return new GatewayResult.Unknown("Voucherly did not answer the payment read.");
        var transaction = ok.Payment.Transactions?.FirstOrDefault(t => t.Id == call.Target.TransactionId);
        if (transaction is null) return new GatewayResult.NotFound($"Voucherly payment {VoucherlyId(call)} has no transaction {call.Target.TransactionId}.");
        var refunded = transaction.RefundedAmount ?? 0;
        if (refunded >= call.RefundedBefore + call.AmountMinor)
            return new GatewayResult.Approved(call.Target.TransactionId, call.AmountMinor, call.Currency) { Message = $"Voucherly shows {refunded} refunded." };
        if (refunded <= call.RefundedBefore)
            return new GatewayResult.NotFound($"Voucherly shows no refund beyond the {refunded} the portal knew of.");
        return new GatewayResult.Unknown($"Voucherly shows {refunded} refunded: more than the portal knew of, less than this refund adds; a person must check it.");
    }

    private static string VoucherlyId(RefundCall call) => call.Target.GatewayPaymentId ?? call.Target.PaymentId;
}
