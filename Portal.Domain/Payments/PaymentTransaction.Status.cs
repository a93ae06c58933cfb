namespace Portal.Domain.Payments;

/// <summary>Status changes of an attempt, always through <see cref="TransactionStatusTransitions"/>.</summary>
public sealed partial class PaymentTransaction
{
    /// <summary>A command (refund service, operator) moving the attempt: an illegal move is a bug and throws.</summary>
    /// <exception cref="IllegalStatusTransitionException">The table does not allow the move (including staying put).</exception>
    public void ChangeStatus(TransactionStatus to, string source, DateTime atUtc, string? note = null)
    {
        if (!TransactionStatusTransitions.IsAllowed(Status, to))
            throw new IllegalStatusTransitionException("transaction", Id, Status.ToString(), to.ToString());
        Apply(to, source, atUtc, note);
    }

    /// <summary>
    /// A gateway's report. Gateways repeat themselves and arrive out of order, so: the same
    /// status again changes nothing; an allowed move is applied; anything else is recorded in
    /// the history as refused (flagged) and not applied. Never throws for an illegal move.
    /// </summary>
    public StatusChangeOutcome ApplyReportedStatus(TransactionStatus to, string source, DateTime atUtc, string? note = null)
    {
        Text.Utc(atUtc, "report time");
        if (to == Status) return StatusChangeOutcome.Unchanged;
        if (TransactionStatusTransitions.IsAllowed(Status, to))
        {
            Apply(to, source, atUtc, note);
            return StatusChangeOutcome.Applied;
        }
        Owner.RecordHistory(Id, Status.ToString(), to.ToString(), atUtc, source, applied: false,
            note ?? $"Refused: a transaction cannot move from {Status} to {to}.");
        Changed(source, atUtc);
        return StatusChangeOutcome.Refused;
    }

    private void Apply(TransactionStatus to, string source, DateTime atUtc, string? note)
    {
        Text.Utc(atUtc, "status change time");
        var from = Status;
        Status = to;
        Owner.RecordHistory(Id, from.ToString(), to.ToString(), atUtc, source, applied: true, note);
        Changed(source, atUtc);
    }
}
