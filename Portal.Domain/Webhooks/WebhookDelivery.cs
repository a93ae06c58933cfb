namespace Portal.Domain.Webhooks;

public enum WebhookSource
{
    Vcc,
    EComCharge,
    CardGateway,
}

/// <summary>Why a delivery failed, which decides whether the webhook-retry job tries it again.</summary>
public enum WebhookFailureKind
{
    /// <summary>May apply later without anyone changing it: the payment is not imported yet, the database was busy, the payment changed meanwhile.</summary>
    Transient,
    /// <summary>Will fail the same way every time (validation, an illegal move, a currency mismatch): only a person can act.</summary>
    Permanent,
}

public enum WebhookDeliveryStatus
{
    /// <summary>Stored, not yet applied (or being applied).</summary>
    Received,
    /// <summary>Applied to the payment.</summary>
    Applied,
    /// <summary>Valid, but applying it failed (e.g. an unknown payment); an admin can reprocess it.</summary>
    Failed,
}

/// <summary>
/// One accepted inbound callback, kept with its payload already masked. (Source, EventKey) is
/// unique in the database: a replay of the same event is recognised by the constraint, not by a
/// check-then-insert, so parallel replays cannot both be applied.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { }

    public WebhookDelivery(WebhookSource source, string eventKey, string externalTransactionId, string? reportedStatus,
        string maskedPayload, DateTime receivedAtUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventKey);
        Source = source;
        EventKey = eventKey;
        ExternalTransactionId = externalTransactionId;
        ReportedStatus = reportedStatus;
        MaskedPayload = maskedPayload;
        ReceivedAtUtc = receivedAtUtc;
        Status = WebhookDeliveryStatus.Received;
    }

    public long Id { get; private set; }
    public WebhookSource Source { get; private set; }
    /// <summary>Identity of the event: the gateway's transaction id plus the status it reports (and the amount, for a card-gateway refund); see <see cref="InboundPaymentEvent.EventKey"/>.</summary>
    public string EventKey { get; private set; } = "";
    public string ExternalTransactionId { get; private set; } = "";
    public string? ReportedStatus { get; private set; }
    public string MaskedPayload { get; private set; } = "";
    public DateTime ReceivedAtUtc { get; private set; }
    public DateTime? ProcessedAtUtc { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }
    public string? PaymentId { get; private set; }
    public string? Error { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>How many times the same event (same <see cref="EventKey"/>) arrived again after this one; each was answered as a duplicate and changed nothing else.</summary>
    public int Replays { get; private set; }
    public DateTime? LastReplayAtUtc { get; private set; }
    /// <summary>Set on a Failed delivery: transient failures are retried by the webhook-retry job.</summary>
    public WebhookFailureKind? FailureKind { get; private set; }
    /// <summary>When the webhook-retry job may try a transiently failed delivery again (null: not again).</summary>
    public DateTime? NextRetryAtUtc { get; private set; }
    /// <summary>How many times the webhook-retry job has tried it (bounded by <c>WebhookRetry:MaxAttempts</c>).</summary>
    public int AutoRetries { get; private set; }
    /// <summary>The claim token of the webhook-retry round that holds it (two instances never retry it twice).</summary>
    public string? RetryClaim { get; private set; }

    /// <summary>
    /// An applied card-gateway refund whose event was received more than once: the callback (spec 002) has
    /// no refund id, so a second refund of the same amount on the same transaction is
    /// indistinguishable from a replay. Someone should compare it with the gateway's records.
    /// </summary>
    public static bool MayHideASecondRefund(WebhookSource source, string eventKey, WebhookDeliveryStatus status, int replays) =>
        replays > 0 && status == WebhookDeliveryStatus.Applied && source == WebhookSource.CardGateway && InboundPaymentEvent.IsAmountKeyedRefund(eventKey);

    /// <summary>
    /// Files the delivery under the key today's rules give its event (the key of a card-gateway
    /// refund gained its amount, say), so a later copy of the same event is a duplicate of it.
    /// </summary>
    public void Rekey(string eventKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventKey);
        EventKey = eventKey;
    }

    public void MarkApplied(string paymentId, DateTime atUtc, string? note = null)
    {
        PaymentId = paymentId;
        ProcessedAtUtc = atUtc;
        Status = WebhookDeliveryStatus.Applied;
        Error = note;
        FailureKind = null;
        NextRetryAtUtc = null;
        Attempts++;
    }

    public void MarkFailed(string error, DateTime atUtc, string? paymentId = null,
        WebhookFailureKind kind = WebhookFailureKind.Permanent, DateTime? retryAtUtc = null)
    {
        FailureKind = kind;
        NextRetryAtUtc = kind == WebhookFailureKind.Transient ? retryAtUtc : null;
        PaymentId = paymentId ?? PaymentId;
        ProcessedAtUtc = atUtc;
        Status = WebhookDeliveryStatus.Failed;
        Error = error.Length > 2000 ? error[..2000] : error;
        Attempts++;
    }
}
