namespace Portal.Domain.Polling;

/// <summary>What happened the last time a payment was read from Voucherly.</summary>
public enum VoucherlySyncOutcome
{
    /// <summary>Claimed by a run that has not finished (or died): the next run takes it again.</summary>
    Pending,

    /// <summary>Imported: the portal did not know the payment before.</summary>
    Created,

    /// <summary>Something changed (or a contradictory report was recorded as refused).</summary>
    Updated,

    /// <summary>Voucherly said nothing new.</summary>
    Unchanged,

    /// <summary>Voucherly has no such payment (404): nothing changed.</summary>
    NotFound,

    /// <summary>No usable answer (timeout, 5xx, malformed body, refused request): nothing changed, asked again next run.</summary>
    Unanswered,

    /// <summary>Someone else changed the payment meanwhile: nothing applied, the next run reads it again.</summary>
    Conflict,

    /// <summary>Voucherly's answer could not be applied (unknown enum value, limits, contradictory amounts); see <see cref="VoucherlySyncState.LastError"/>.</summary>
    Failed,
}

/// <summary>
/// The link between a portal payment and Voucherly's payment, and the sync's round-robin cursor.
/// Kept beside the payment rather than on it, so only Voucherly payments carry it. The payment
/// id equals Voucherly's id whenever the model accepts that id (see <see cref="VoucherlySync"/>),
/// but the link is always this row.
/// </summary>
public sealed class VoucherlySyncState
{
    public const int MaxErrorLength = 1000;

    private VoucherlySyncState() { }

    internal VoucherlySyncState(string paymentId, string voucherlyPaymentId, DateTime atUtc)
    {
        PaymentId = paymentId;
        VoucherlyPaymentId = voucherlyPaymentId;
        LastSyncedAtUtc = atUtc;
        LastOutcome = VoucherlySyncOutcome.Pending;
    }

    /// <summary>The portal payment.</summary>
    public string PaymentId { get; private set; } = "";

    /// <summary>Voucherly's payment id, unique.</summary>
    public string VoucherlyPaymentId { get; private set; } = "";

    /// <summary>When a run last took this payment (set when it is claimed, so a failing payment does not block the queue).</summary>
    public DateTime LastSyncedAtUtc { get; private set; }

    public VoucherlySyncOutcome LastOutcome { get; private set; }

    /// <summary>Why the last read was not applied (Failed, Unanswered, NotFound), for a person to read.</summary>
    public string? LastError { get; private set; }

    /// <summary>Reads in a row that were not applied; back to 0 after a successful read.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>
    /// When this payment is next due for a re-read as a settled payment (the second queue of
    /// <see cref="VoucherlySync"/>); null while it is open (open payments are picked by their
    /// status on every run), once it is final, and once it is older than the re-read horizon.
    /// Set after every applied read, pushed one interval on when claimed (so a payment that keeps
    /// failing goes to the back), and set to "now" when the read has to be repeated soon (a
    /// portal refund in flight, a conflicting change).
    /// </summary>
    public DateTime? RecheckDueAtUtc { get; private set; }

    internal void Record(VoucherlySyncOutcome outcome, string? error, DateTime atUtc)
    {
        LastOutcome = outcome;
        LastError = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
        LastSyncedAtUtc = atUtc;
        ConsecutiveFailures = IsSuccess(outcome) ? 0 : ConsecutiveFailures + 1;
    }

    internal void ScheduleRecheck(DateTime? dueAtUtc) => RecheckDueAtUtc = dueAtUtc;

    internal static bool IsSuccess(VoucherlySyncOutcome outcome) =>
        outcome is VoucherlySyncOutcome.Created or VoucherlySyncOutcome.Updated or VoucherlySyncOutcome.Unchanged;
}
