using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Recurring;

/// <summary>
/// A plan to charge a stored card token (taken from an earlier successful transaction) on a
/// calendar. Every change goes through a verb method that checks the status; the runner's claim
/// (<see cref="ClaimToken"/>, <see cref="ClaimExpiresAtUtc"/>) is taken and released only by
/// conditional updates in the database.
/// </summary>
public sealed class RecurringSchedule
{
    public const string IdPrefix = "rcs";
    public const int MaxDescriptionLength = 255;
    public const int MaxIntervalCount = 365;
    public const int MaxCycles = 1000;

    private RecurringSchedule() { }

    internal RecurringSchedule(RecurringScheduleDraft d, DateTime nowUtc, TimeProvider clock)
    {
        Id = Ids.New(IdPrefix, clock);
        SourcePaymentId = d.SourcePaymentId;
        SourceTransactionId = d.SourceTransactionId;
        GatewayId = d.GatewayId;
        CardTokenProtected = d.CardTokenProtected;
        CardBrand = d.CardBrand;
        CardLast4 = d.CardLast4;
        CustomerEmail = d.CustomerEmail;
        CustomerName = d.CustomerName;
        AmountMinor = d.AmountMinor;
        Currency = d.Currency;
        Description = d.Description;
        IntervalUnit = d.IntervalUnit;
        IntervalCount = d.IntervalCount;
        StartDate = d.StartDate;
        EndKind = d.EndKind;
        EndDate = d.EndKind == RecurringEndKind.OnDate ? d.EndDate : null;
        MaxCycleCount = d.EndKind == RecurringEndKind.AfterCycles ? d.MaxCycles : null;
        CreateKey = d.CreateKey;
        CreatedByUserId = d.CreatedByUserId;
        CreatedByName = d.CreatedByName;
        Status = RecurringScheduleStatus.Active;
        NextCycleNumber = 1;
        NextChargeAtUtc = RecurringCalendar.DueAtUtc(StartDate, IntervalUnit, IntervalCount, 1);
        CreatedAtUtc = UpdatedAtUtc = nowUtc;
    }

    public string Id { get; private set; } = "";

    /// <summary>The payment whose transaction gave the token.</summary>
    public string SourcePaymentId { get; private set; } = "";

    public string SourceTransactionId { get; private set; } = "";

    /// <summary>The gateway that holds the token (e.g. <c>ecomcharge</c>).</summary>
    public string GatewayId { get; private set; } = "";

    /// <summary>The card token, encrypted at rest (Data Protection); never shown, never logged.</summary>
    public string CardTokenProtected { get; private set; } = "";

    public string? CardBrand { get; private set; }

    public string? CardLast4 { get; private set; }

    public string? CustomerEmail { get; private set; }

    public string? CustomerName { get; private set; }

    /// <summary>Amount of each future cycle, minor units of <see cref="Currency"/>. A cycle keeps the amount it was created with.</summary>
    public long AmountMinor { get; private set; }

    public Currency Currency { get; private set; } = null!;

    public string Description { get; private set; } = "";

    public RecurringIntervalUnit IntervalUnit { get; private set; }

    /// <summary>The N of "every N units".</summary>
    public int IntervalCount { get; private set; }

    /// <summary>The anchor: cycle 1's date; every cycle date is computed from it.</summary>
    public DateOnly StartDate { get; private set; }

    public RecurringEndKind EndKind { get; private set; }

    /// <summary>With <see cref="RecurringEndKind.OnDate"/>: the last date a cycle may fall on.</summary>
    public DateOnly? EndDate { get; private set; }

    /// <summary>With <see cref="RecurringEndKind.AfterCycles"/>: the number of cycles.</summary>
    public int? MaxCycleCount { get; private set; }

    public RecurringScheduleStatus Status { get; private set; }

    /// <summary>Why the status is what it is (last decline, who cancelled), for the pages.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The cycle the runner works on next (a calendar occurrence number, 1-based).</summary>
    public int NextCycleNumber { get; private set; }

    /// <summary>
    /// When the runner should next look at this schedule: the next cycle's due time, a retry's
    /// time, or (with an open attempt) when to ask the gateway again. Null when nothing is left.
    /// </summary>
    public DateTime? NextChargeAtUtc { get; private set; }

    /// <summary>Key of the attempt sent whose outcome is not known yet; while set, nothing new is sent for this schedule.</summary>
    public string? OpenAttemptKey { get; private set; }

    public int SucceededCycles { get; private set; }

    /// <summary>Declined attempts over the schedule's life (soft and hard), for the "has failures" filter.</summary>
    public int FailedAttempts { get; private set; }

    public DateTime? LastChargedAtUtc { get; private set; }

    public DateTime? LastFailureAtUtc { get; private set; }

    /// <summary>The runner's claim: set by a conditional update, expires so a crashed runner's schedules are reclaimed.</summary>
    public string? ClaimToken { get; private set; }

    public DateTime? ClaimExpiresAtUtc { get; private set; }

    /// <summary>Idempotency key of the create request (minted when the dialog opens): a double submit finds this schedule.</summary>
    public string? CreateKey { get; private set; }

    public string CreatedByUserId { get; private set; } = "";

    public string CreatedByName { get; private set; } = "";

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    /// <summary>Incremented by every change and checked on save (SQLite has no row version).</summary>
    public long Version { get; private set; }

    public Money.Money Amount => new(AmountMinor, Currency);

    public bool IsFinal => Status is RecurringScheduleStatus.Cancelled or RecurringScheduleStatus.Completed;

    /// <summary>Due time of cycle <paramref name="cycleNumber"/> on this schedule's calendar.</summary>
    public DateTime DueAtUtc(int cycleNumber) => RecurringCalendar.DueAtUtc(StartDate, IntervalUnit, IntervalCount, cycleNumber);

    /// <summary>Whether cycle <paramref name="cycleNumber"/> is within the schedule's end.</summary>
    public bool HasCycle(int cycleNumber) => cycleNumber is >= 1 and <= RecurringCalendar.MaxCycleNumber && EndKind switch
    {
        RecurringEndKind.AfterCycles => cycleNumber <= MaxCycleCount,
        RecurringEndKind.OnDate => RecurringCalendar.DateOf(StartDate, IntervalUnit, IntervalCount, cycleNumber) <= EndDate,
        _ => true,
    };

    internal void Pause(DateTime nowUtc, string by)
    {
        if (Status != RecurringScheduleStatus.Active)
            throw new RecurringScheduleException(RecurringRefusal.Conflict, $"Schedule {Id} is {Label(Status)}; only an active schedule can be paused.");
        Status = RecurringScheduleStatus.Paused;
        StatusReason = $"Paused by {by}.";
        Touch(nowUtc);
    }

    /// <summary>
    /// Back to Active from Paused, NeedsAttention or PastDue. Cycles that fell due meanwhile are
    /// skipped: the next cycle is the first one due today or later (or the cycle already in hand).
    /// </summary>
    internal void Resume(DateTime nowUtc, string by)
    {
        if (Status is not (RecurringScheduleStatus.Paused or RecurringScheduleStatus.NeedsAttention or RecurringScheduleStatus.PastDue))
            throw new RecurringScheduleException(RecurringRefusal.Conflict,
                $"Schedule {Id} is {Label(Status)}; only a paused, needs-attention or past-due schedule can be resumed.");
        Status = RecurringScheduleStatus.Active;
        StatusReason = $"Resumed by {by}.";
        if (OpenAttemptKey is null)
        {
            var today = DateOnly.FromDateTime(nowUtc);
            var next = RecurringCalendar.FirstCycleOnOrAfter(StartDate, IntervalUnit, IntervalCount, today, NextCycleNumber);
            ScheduleCycle(next);
        }
        Touch(nowUtc);
    }

    internal void Cancel(DateTime nowUtc, string reason)
    {
        if (IsFinal)
            throw new RecurringScheduleException(RecurringRefusal.Conflict, $"Schedule {Id} is already {Label(Status)}.");
        Status = RecurringScheduleStatus.Cancelled;
        StatusReason = reason;
        // An attempt whose outcome is unknown is still resolved (money may have moved); nothing new is sent.
        if (OpenAttemptKey is null) NextChargeAtUtc = null;
        Touch(nowUtc);
    }

    internal void ChangeAmount(long amountMinor, DateTime nowUtc)
    {
        if (IsFinal)
            throw new RecurringScheduleException(RecurringRefusal.Conflict, $"Schedule {Id} is {Label(Status)}; its amount cannot change.");
        AmountMinor = amountMinor;
        Touch(nowUtc);
    }

    /// <summary>"Charge next cycle now": the next charge (cycle or retry) falls due at once.</summary>
    internal void BringForward(DateTime nowUtc)
    {
        if (Status != RecurringScheduleStatus.Active)
            throw new RecurringScheduleException(RecurringRefusal.Conflict, $"Schedule {Id} is {Label(Status)}; resume it before charging.");
        if (OpenAttemptKey is not null)
            throw new RecurringScheduleException(RecurringRefusal.Conflict,
                $"Schedule {Id} has a charge whose outcome is still being verified with the gateway; try again when it is settled.");
        if (NextChargeAtUtc is null || !HasCycle(NextCycleNumber))
            throw new RecurringScheduleException(RecurringRefusal.Conflict, $"Schedule {Id} has no cycle left to charge.");
        NextChargeAtUtc = nowUtc;
        Touch(nowUtc);
    }

    /// <summary>An attempt was recorded: nothing else is sent until its outcome is known.</summary>
    internal void AttemptOpened(string key, DateTime nowUtc)
    {
        OpenAttemptKey = key;
        Touch(nowUtc);
    }

    /// <summary>The outcome is unknown: look again at <paramref name="checkAtUtc"/>.</summary>
    internal void VerifyLater(DateTime checkAtUtc, DateTime nowUtc)
    {
        NextChargeAtUtc = checkAtUtc;
        Touch(nowUtc);
    }

    /// <summary>Cycle <paramref name="cycleNumber"/> was charged: move to the next cycle, or complete.</summary>
    internal void CycleSucceeded(int cycleNumber, DateTime nowUtc)
    {
        OpenAttemptKey = null;
        SucceededCycles++;
        LastChargedAtUtc = nowUtc;
        if (Status is RecurringScheduleStatus.NeedsAttention or RecurringScheduleStatus.PastDue)
        {
            // A late answer for an attempt sent before the schedule stopped: the schedule stays stopped.
            NextCycleNumber = Math.Max(NextCycleNumber, cycleNumber + 1);
        }
        else ScheduleCycle(Math.Max(NextCycleNumber, cycleNumber + 1));
        Touch(nowUtc);
    }

    /// <summary>A soft decline with retries left: the same cycle is attempted again at <paramref name="retryAtUtc"/>.</summary>
    internal void RetryLater(DateTime retryAtUtc, string reason, DateTime nowUtc)
    {
        OpenAttemptKey = null;
        FailedAttempts++;
        LastFailureAtUtc = nowUtc;
        StatusReason = reason;
        if (!IsFinal) NextChargeAtUtc = retryAtUtc;
        else NextChargeAtUtc = null;
        Touch(nowUtc);
    }

    /// <summary>The cycle failed for good: the schedule stops in <paramref name="status"/> (NeedsAttention, PastDue or Cancelled).</summary>
    internal void CycleFailed(int cycleNumber, RecurringScheduleStatus status, string reason, DateTime nowUtc)
    {
        OpenAttemptKey = null;
        FailedAttempts++;
        LastFailureAtUtc = nowUtc;
        NextCycleNumber = Math.Max(NextCycleNumber, cycleNumber + 1);
        if (!IsFinal)
        {
            Status = status;
            StatusReason = reason;
        }
        NextChargeAtUtc = Status == RecurringScheduleStatus.Active ? DueAtUtc(NextCycleNumber) : null;
        Touch(nowUtc);
    }

    /// <summary>Points the schedule at a later cycle (the current one is already settled).</summary>
    internal void MoveTo(int cycleNumber, DateTime nowUtc)
    {
        ScheduleCycle(Math.Max(NextCycleNumber, cycleNumber));
        Touch(nowUtc);
    }

    internal void ExtendClaim(DateTime untilUtc) => ClaimExpiresAtUtc = untilUtc;

    internal void ReleaseClaim()
    {
        ClaimToken = null;
        ClaimExpiresAtUtc = null;
    }

    internal void Touch(DateTime nowUtc)
    {
        Version++;
        if (nowUtc > UpdatedAtUtc) UpdatedAtUtc = nowUtc;
    }

    internal void Complete(DateTime nowUtc)
    {
        Status = RecurringScheduleStatus.Completed;
        StatusReason = "Every cycle is done.";
        NextChargeAtUtc = null;
        Touch(nowUtc);
    }

    private void ScheduleCycle(int cycleNumber)
    {
        NextCycleNumber = cycleNumber;
        if (!HasCycle(cycleNumber))
        {
            if (!IsFinal)
            {
                Status = RecurringScheduleStatus.Completed;
                StatusReason = "Every cycle is done.";
            }
            NextChargeAtUtc = null;
            return;
        }
        NextChargeAtUtc = IsFinal ? null : DueAtUtc(cycleNumber);
    }

    public static string Label(RecurringScheduleStatus status) => status switch
    {
        RecurringScheduleStatus.NeedsAttention => "needs attention",
        RecurringScheduleStatus.PastDue => "past due",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>What a schedule is made from (validated by <see cref="RecurringScheduleService"/>).</summary>
internal sealed record RecurringScheduleDraft(
    string SourcePaymentId,
    string SourceTransactionId,
    string GatewayId,
    string CardTokenProtected,
    string? CardBrand,
    string? CardLast4,
    string? CustomerEmail,
    string? CustomerName,
    long AmountMinor,
    Currency Currency,
    string Description,
    RecurringIntervalUnit IntervalUnit,
    int IntervalCount,
    DateOnly StartDate,
    RecurringEndKind EndKind,
    DateOnly? EndDate,
    int? MaxCycles,
    string? CreateKey,
    string CreatedByUserId,
    string CreatedByName);
