namespace Portal.Domain.Payments;

/// <summary>
/// One line of a payment's status history: every change of the payment or one of its
/// transactions, and every reported change that was refused (<see cref="Applied"/> false),
/// which is how an out-of-order or contradictory gateway report is flagged for a person.
/// </summary>
public sealed class PaymentStatusChange
{
    private PaymentStatusChange() { }

    internal PaymentStatusChange(string paymentId, string? transactionId, string? fromStatus, string toStatus,
        DateTime atUtc, string source, bool applied, string? note)
    {
        PaymentId = paymentId;
        TransactionId = transactionId;
        FromStatus = fromStatus;
        ToStatus = toStatus;
        AtUtc = Text.Utc(atUtc, "status change time");
        Source = Text.Required(source, 100, "status change source");
        Applied = applied;
        Note = note is { Length: > 500 } ? note[..500] : note;
    }

    public long Id { get; private set; }

    public string PaymentId { get; private set; } = "";

    /// <summary>Null when the payment itself changed.</summary>
    public string? TransactionId { get; private set; }

    /// <summary>Null for the status a payment or transaction was created in.</summary>
    public string? FromStatus { get; private set; }

    public string ToStatus { get; private set; } = "";

    public DateTime AtUtc { get; private set; }

    /// <summary>Who or what caused it: <c>ui:…</c>, <c>job:…</c>, <c>webhook:…</c>, <c>poller:…</c>, <c>derived</c>.</summary>
    public string Source { get; private set; } = "";

    /// <summary>False for a reported change the transition table refused: recorded, flagged, not applied.</summary>
    public bool Applied { get; private set; }

    public string? Note { get; private set; }
}
