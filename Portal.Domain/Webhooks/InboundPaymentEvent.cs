namespace Portal.Domain.Webhooks;

/// <summary>What an inbound callback says happened, whatever its source's format.</summary>
public enum InboundStatus
{
    Approved,
    Declined,
    Pending,
    RequiresAction,
    Refunded,
    Cancelled,
}

public sealed record InboundCard(string? Brand, string? Last4, int? NumberLength, int? ExpiryMonth, int? ExpiryYear, string? MaskedNumber);

public sealed record InboundCustomer(string? Id, string? Email, string? FirstName, string? LastName, string? Phone);

public sealed record InboundCall(string Uuid, bool? InCall, string? AgentName, long? AgentId, long? ProjectId, string? PaymentGateway);

public sealed record InboundSubscription(string? Id, string? Status, int? Cycle, DateTime? RenewalDateUtc, DateTime? CancelDateUtc);

/// <summary>
/// A validated inbound payment event in the portal's terms: amounts already exact minor units
/// of a known currency, card data masked, ids checked.
/// </summary>
public sealed partial record InboundPaymentEvent
{
    public required WebhookSource Source { get; init; }
    public required string ExternalTransactionId { get; init; }
    public required InboundStatus Status { get; init; }
    /// <summary>The status exactly as the sender spelled it (kept for the record).</summary>
    public required string ReportedStatus { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public string? Message { get; init; }
    public string? ErrorCode { get; init; }
    /// <summary>Our own reference when the sender echoes it: eComCharge tracking_id, card gateway orderId.</summary>
    public string? MerchantReference { get; init; }
    /// <summary>For a refund notification: the gateway id of the transaction refunded.</summary>
    public string? ParentTransactionId { get; init; }
    public string? RedirectUrl { get; init; }
    /// <summary>A reusable card token (VCC/eComCharge): stored only encrypted, never shown.</summary>
    public string? CardToken { get; init; }
    public InboundCard? Card { get; init; }
    public InboundCustomer? Customer { get; init; }
    public InboundCall? Call { get; init; }
    public InboundSubscription? Subscription { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public DateTime? OccurredAtUtc { get; init; }

    /// <summary>
    /// The idempotency key of the event: a replay has the same one, a new status does not. A
    /// card-gateway refund callback reports on the refunded payment's own transactionId and the
    /// spec (002) gives it no refund or event id of its own, so its amount is part of the key:
    /// two partial refunds of different amounts are two events, an exact replay is one. (Two
    /// refunds of the SAME amount on one transaction cannot be told apart from a replay; the
    /// second is answered as a duplicate, logged as a warning and counted on the first delivery,
    /// which the Webhooks page then flags for a check against the gateway's records.) An
    /// eComCharge refund notification carries the refund's own uid, which already tells refunds apart.
    /// </summary>
    public string EventKey => Source == WebhookSource.CardGateway && Status == InboundStatus.Refunded
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ExternalTransactionId}:{Status}:{AmountMinor}")
        : $"{ExternalTransactionId}:{Status}";

    /// <summary>Whether a card-gateway event key is a refund's (transaction id, status and amount).</summary>
    internal static bool IsAmountKeyedRefund(string eventKey) => AmountKeyedRefund().IsMatch(eventKey);

    /// <summary>"…:Refunded:{minor units}" at the end: the id before it may itself hold anything.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@":Refunded:-?[0-9]+\z")]
    private static partial System.Text.RegularExpressions.Regex AmountKeyedRefund();
}

/// <summary>Thrown by a parser for input that is well-formed JSON but not a valid event (→ 422).</summary>
public sealed class InboundValidationException(IReadOnlyList<string> errors)
    : Exception("The payload is not a valid event: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
