namespace Portal.Domain.Gateways;

/// <summary>
/// The port through which the domain moves money on a card gateway: charge a stored card
/// token, refund a transaction, and ask what happened to a transaction. Adapters never throw
/// for a gateway's answer (declines, errors, lost answers all come back as a
/// <see cref="GatewayResult"/>); they throw only for caller cancellation and for broken
/// configuration.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Stable name of the gateway (e.g. <c>ecomcharge</c>), stored with each transaction.</summary>
    string Name { get; }

    /// <summary>Charges a stored card token. <see cref="ChargeRequest.IdempotencyKey"/> is sent as the gateway's tracking id.</summary>
    Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Refunds (part of) an earlier successful transaction.</summary>
    Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>Current state of a transaction by the gateway's own id; <see cref="GatewayResult.NotFound"/> when it does not know it.</summary>
    Task<GatewayResult> QueryAsync(string gatewayTransactionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Current state of the transaction created with this idempotency key (tracking id): how an
    /// operation whose answer was lost (<see cref="GatewayResult.Unknown"/>) is resolved without
    /// charging again. <see cref="GatewayResult.NotFound"/> means the gateway never recorded it.
    /// </summary>
    Task<GatewayResult> QueryByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);
}
