namespace Portal.Domain.Payments;

/// <summary>The payment's status: changed through <see cref="PaymentStatusTransitions"/>, derived from its transactions, and its history.</summary>
public sealed partial class Payment
{
    /// <summary>Source written in the history when the payment's status follows from its transactions.</summary>
    public const string DerivedSource = "derived";

    /// <summary>A command (operator, service) moving the payment: an illegal move is a bug and throws.</summary>
    /// <exception cref="IllegalStatusTransitionException">The table does not allow the move (including staying put).</exception>
    public void ChangeStatus(PaymentStatus to, string source, DateTime atUtc, string? note = null)
    {
        Text.Utc(atUtc, "status change time");
        if (!PaymentStatusTransitions.IsAllowed(Status, to))
            throw new IllegalStatusTransitionException("payment", Id, Status.ToString(), to.ToString());
        Apply(to, source, atUtc, note);
    }

    /// <summary>
    /// A gateway's report of the payment's status: the same status again changes nothing; an
    /// allowed move is applied; an illegal one is recorded as refused (flagged) and not applied.
    /// </summary>
    public StatusChangeOutcome ApplyReportedStatus(PaymentStatus to, string source, DateTime atUtc, string? note = null)
    {
        Text.Utc(atUtc, "report time");
        if (to == Status) return StatusChangeOutcome.Unchanged;
        if (PaymentStatusTransitions.IsAllowed(Status, to))
        {
            Apply(to, source, atUtc, note);
            return StatusChangeOutcome.Applied;
        }
        RecordHistory(null, Status.ToString(), to.ToString(), atUtc, source, applied: false,
            note ?? $"Refused: a payment cannot move from {Status} to {to}.");
        Touch(atUtc);
        return StatusChangeOutcome.Refused;
    }

    /// <summary>The status the transactions imply, or null when they imply none; see <see cref="PaymentStatusRules"/>.</summary>
    public PaymentStatus? DeriveStatus() =>
        PaymentStatusRules.Derive(FinalAmount, _transactions.Select(t => (t.Status, t.ProcessedAmount, t.ConfirmedAmount)));

    /// <summary>
    /// Called by a transaction after every change: amounts follow, and the status follows what
    /// the transactions imply. A derived move the table refuses is recorded once (not on every
    /// poll) so a person sees the contradiction.
    /// </summary>
    internal void OnTransactionChanged(string source, DateTime atUtc)
    {
        RecomputeAmounts();
        Touch(atUtc);
        if (DeriveStatus() is not { } derived || derived == Status) return;
        var note = $"Follows from the transactions ({source}).";
        if (PaymentStatusTransitions.IsAllowed(Status, derived))
        {
            Apply(derived, DerivedSource, atUtc, note);
            return;
        }
        var last = _statusChanges.LastOrDefault(c => c.TransactionId is null);
        if (last is { Applied: false } && last.FromStatus == Status.ToString() && last.ToStatus == derived.ToString()) return;
        RecordHistory(null, Status.ToString(), derived.ToString(), atUtc, DerivedSource, applied: false,
            $"Refused: the transactions imply {derived}, but a payment cannot move from {Status} to {derived}.");
    }

    internal void RecordHistory(string? transactionId, string? from, string to, DateTime atUtc, string source, bool applied, string? note) =>
        _statusChanges.Add(new PaymentStatusChange(Id, transactionId, from, to, atUtc, source, applied, note));

    private void Apply(PaymentStatus to, string source, DateTime atUtc, string? note)
    {
        var from = Status;
        Status = to;
        RecordHistory(null, from.ToString(), to.ToString(), atUtc, source, applied: true, note);
        Touch(atUtc);
    }
}
