namespace Portal.Domain.Gateways;

/// <summary>Why a stored card token is charged; decides the card-on-file flags sent to the network.</summary>
public enum TokenChargeKind
{
    /// <summary>First charge of a recurring contract (eComCharge <c>additional_data.contract: ["recurring"]</c>).</summary>
    RecurringFirst,

    /// <summary>A later merchant-initiated cycle (<c>card_on_file: {initiator: "merchant", type: "delayed_charge"}</c>).</summary>
    MerchantInitiatedCycle,

    /// <summary>A merchant-initiated retry of a cycle that failed earlier (<c>type: "resubmission"</c>).</summary>
    MerchantInitiatedResubmission,
}

/// <summary>A charge of a stored card token.</summary>
/// <param name="IdempotencyKey">
/// The portal's idempotency key, sent as the gateway's tracking id. Always set it for money-moving
/// work: only a keyed request is retried after a transport failure, and only a keyed request can
/// be found again with <see cref="IPaymentGateway.QueryByIdempotencyKeyAsync"/> when its answer is lost.
/// </param>
/// <param name="AmountMinor">Amount in minor units of <paramref name="Currency"/> (must be positive).</param>
/// <param name="Currency">ISO 4217 code, upper case.</param>
/// <param name="Description">Short order description shown by the gateway (at most 255 characters).</param>
/// <param name="CardToken">The stored card token (secret: never logged).</param>
/// <param name="Kind">First recurring charge, later cycle, or retry of a cycle.</param>
/// <param name="CustomerEmail">Customer email, when known.</param>
public sealed record ChargeRequest(
    string? IdempotencyKey,
    long AmountMinor,
    string Currency,
    string Description,
    string CardToken,
    TokenChargeKind Kind,
    string? CustomerEmail = null)
{
    /// <summary>Never prints the card token.</summary>
    public override string ToString() =>
        $"ChargeRequest {{ IdempotencyKey = {IdempotencyKey}, AmountMinor = {AmountMinor}, Currency = {Currency}, Kind = {Kind} }}";
}
