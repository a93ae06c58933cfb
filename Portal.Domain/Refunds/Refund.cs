using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Refunds;

/// <summary>
/// One refund attempt of (part of) a captured transaction, started by an admin. The row is
/// written (Pending, amount reserved) before the gateway hears of it, and its idempotency key
/// is unique: a replayed request finds this row instead of refunding again.
/// </summary>
public sealed class Refund
{
    public const string IdPrefix = "rfd";
    public const int MaxKeyLength = 100;
    public const int MaxNoteLength = 500;

    private Refund() { }

    internal Refund(string paymentId, string transactionId, long amount, Currency currency, RefundReason reason, string? note,
        string idempotencyKey, string? gatewayId, string requestedByUserId, string requestedByName, DateTime createdAtUtc, TimeProvider clock)
    {
        if (amount <= 0) throw new RefundRefusedException(RefundRefusal.Invalid, $"A refund must be more than 0; {amount} was asked for.");
        Id = Ids.New(IdPrefix, clock);
        PaymentId = paymentId;
        TransactionId = transactionId;
        Amount = amount;
        Currency = currency;
        Reason = reason;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        IdempotencyKey = idempotencyKey;
        GatewayId = gatewayId;
        RequestedByUserId = Limit(requestedByUserId, 450) ?? "unknown";
        RequestedByName = Limit(requestedByName, 256) ?? RequestedByUserId;
        Status = RefundStatus.Pending;
        CreatedAtUtc = createdAtUtc;
    }

    public string Id { get; private set; } = "";

    public string PaymentId { get; private set; } = "";

    public string TransactionId { get; private set; } = "";

    /// <summary>Minor units of <see cref="Currency"/> (the transaction's currency).</summary>
    public long Amount { get; private set; }

    public Currency Currency { get; private set; } = null!;

    public RefundReason Reason { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Minted when the dialog opens (or given by the API caller); sent to the gateway as its tracking id.</summary>
    public string IdempotencyKey { get; private set; } = "";

    public RefundStatus Status { get; private set; }

    /// <summary>The gateway the refund went to (the transaction's gateway id, e.g. <c>ecomcharge</c>).</summary>
    public string? GatewayId { get; private set; }

    /// <summary>The gateway's own id of the refund, once it told us.</summary>
    public string? GatewayRefundId { get; private set; }

    /// <summary>What the gateway said (decline reason, lost-answer reason, confirmation).</summary>
    public string? GatewayMessage { get; private set; }

    public string RequestedByUserId { get; private set; } = "";

    public string RequestedByName { get; private set; } = "";

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When it became Succeeded or Failed.</summary>
    public DateTime? CompletedAtUtc { get; private set; }

    /// <summary>When the verification job last asked the gateway (its round-robin cursor).</summary>
    public DateTime? LastCheckedAtUtc { get; private set; }

    /// <summary>
    /// When the verification job may ask about it again (null: at once). Moved forward by the
    /// poller's backoff (<see cref="Polling.PollBackoff"/>) when the job claims it.
    /// </summary>
    public DateTime? NextCheckAtUtc { get; private set; }

    /// <summary>How many times the verification job has claimed it.</summary>
    public int CheckAttempts { get; private set; }

    /// <summary>The token of the verification round that last claimed it.</summary>
    public string? CheckClaim { get; private set; }

    /// <summary>
    /// Set when it stayed open past <see cref="RefundOptions.FlagAfterHours"/>: a person must find
    /// out what the gateway did. The job no longer asks about it and never fails it: its amount
    /// stays reserved until the gateway answers (a notification, or a person's "verify").
    /// </summary>
    public DateTime? FlaggedAtUtc { get; private set; }

    public string? FlagReason { get; private set; }

    /// <summary>Incremented by every change and checked on save (SQLite has no row version).</summary>
    public long Version { get; private set; }

    public Money.Money Money => new(Amount, Currency);

    public bool IsOpen => Status is RefundStatus.Pending or RefundStatus.PendingVerification;

    /// <summary>The gateway confirmed it: money went back.</summary>
    internal void MarkSucceeded(string? gatewayRefundId, string? message, DateTime atUtc)
    {
        if (Status == RefundStatus.Succeeded) throw new InvalidOperationException($"Refund {Id} already succeeded.");
        GatewayRefundId = Limit(gatewayRefundId, 200) ?? GatewayRefundId;
        GatewayMessage = Limit(message, 1000) ?? GatewayMessage;
        Status = RefundStatus.Succeeded;
        CompletedAtUtc = atUtc;
        LastCheckedAtUtc = atUtc;
        Version++;
    }

    /// <summary>The gateway refused it, or never recorded it: nothing moved, the reserved amount is freed.</summary>
    internal void MarkFailed(string? gatewayRefundId, string message, DateTime atUtc)
    {
        if (!IsOpen) throw new InvalidOperationException($"Refund {Id} is {Status}; only an open refund can fail.");
        GatewayRefundId = Limit(gatewayRefundId, 200) ?? GatewayRefundId;
        GatewayMessage = Limit(message, 1000);
        Status = RefundStatus.Failed;
        CompletedAtUtc = atUtc;
        LastCheckedAtUtc = atUtc;
        Version++;
    }

    /// <summary>The answer was lost or the gateway has not decided: only a query by the same key may resolve it.</summary>
    internal void MarkPendingVerification(string? gatewayRefundId, string message, DateTime atUtc)
    {
        if (!IsOpen) throw new InvalidOperationException($"Refund {Id} is {Status}; only an open refund can wait for verification.");
        GatewayRefundId = Limit(gatewayRefundId, 200) ?? GatewayRefundId;
        GatewayMessage = Limit(message, 1000);
        Status = RefundStatus.PendingVerification;
        LastCheckedAtUtc = atUtc;
        Version++;
    }

    /// <summary>The job asked and learnt nothing new.</summary>
    internal void MarkChecked(DateTime atUtc)
    {
        LastCheckedAtUtc = atUtc;
        Version++;
    }

    /// <summary>Still open past the age the job may wait: left to a person, amount still reserved.</summary>
    internal void FlagForPerson(string reason, DateTime atUtc)
    {
        if (!IsOpen) throw new InvalidOperationException($"Refund {Id} is {Status}; only an open refund is flagged for a person.");
        if (FlaggedAtUtc is not null) return;
        FlaggedAtUtc = atUtc;
        FlagReason = Limit(reason, 500);
        Version++;
    }

    private static string? Limit(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];
}
