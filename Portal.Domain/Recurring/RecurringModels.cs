using Portal.Domain.Audit;
using Portal.Domain.Security;

namespace Portal.Domain.Recurring;

/// <summary>
/// The person (or job) acting on schedules, with their roles: the service decides from these,
/// whatever the page showed. Finance writes; Admin and Finance read.
/// </summary>
public sealed record RecurringUser(Actor Actor, IReadOnlyCollection<string> Roles)
{
    public bool CanWrite => Roles.Contains(Security.Roles.Finance);

    public bool CanRead => CanWrite || Roles.Contains(Security.Roles.Admin);
}

/// <summary>Create a schedule from a successful transaction that carries a card token.</summary>
/// <param name="PaymentId">The payment whose transaction gave the token.</param>
/// <param name="TransactionId">The successful transaction with the stored token.</param>
/// <param name="AmountMinor">Amount per cycle, minor units of <paramref name="Currency"/>.</param>
/// <param name="Currency">ISO 4217; must be the transaction's currency.</param>
/// <param name="IntervalCount">The N of "every N units" (1-365).</param>
/// <param name="StartDate">Cycle 1's date (UTC calendar date, today or later); the anchor of every later date.</param>
/// <param name="EndDate">With <see cref="RecurringEndKind.OnDate"/>: no cycle after this date.</param>
/// <param name="MaxCycles">With <see cref="RecurringEndKind.AfterCycles"/>: how many cycles (1-1000).</param>
/// <param name="IdempotencyKey">Optional; minted when the dialog opens, so a double submit returns the same schedule.</param>
public sealed record CreateRecurringSchedule(
    string PaymentId,
    string TransactionId,
    long AmountMinor,
    string Currency,
    string Description,
    RecurringIntervalUnit IntervalUnit,
    int IntervalCount,
    DateOnly StartDate,
    RecurringEndKind EndKind = RecurringEndKind.Never,
    DateOnly? EndDate = null,
    int? MaxCycles = null,
    string? IdempotencyKey = null);

/// <summary>A schedule as the pages and callers see it (the token never leaves the service; only brand and last four).</summary>
public sealed record RecurringScheduleView(
    string Id,
    RecurringScheduleStatus Status,
    string? StatusReason,
    long AmountMinor,
    string Currency,
    string Description,
    RecurringIntervalUnit IntervalUnit,
    int IntervalCount,
    DateOnly StartDate,
    RecurringEndKind EndKind,
    DateOnly? EndDate,
    int? MaxCycles,
    int NextCycleNumber,
    DateTime? NextChargeAtUtc,
    string SourcePaymentId,
    string SourceTransactionId,
    string? CardBrand,
    string? CardLast4,
    string? CustomerEmail,
    string? CustomerName,
    int SucceededCycles,
    int FailedAttempts,
    DateTime? LastChargedAtUtc,
    DateTime? LastFailureAtUtc,
    bool HasOpenAttempt,
    string CreatedByName,
    DateTime CreatedAtUtc,
    DateTime UpdatedAtUtc)
{
    /// <summary>"•••• 1111" (or "card" when the last four are unknown).</summary>
    public string MaskedCard => CardLast4 is null ? "card" : $"{CardBrand} •••• {CardLast4}".Trim();

    public string Interval => RecurringCalendar.Describe(IntervalUnit, IntervalCount);

    public bool IsFinal => Status is RecurringScheduleStatus.Cancelled or RecurringScheduleStatus.Completed;

    public static RecurringScheduleView From(RecurringSchedule s) => new(
        s.Id, s.Status, s.StatusReason, s.AmountMinor, s.Currency.Code, s.Description, s.IntervalUnit, s.IntervalCount, s.StartDate,
        s.EndKind, s.EndDate, s.MaxCycleCount, s.NextCycleNumber, s.NextChargeAtUtc, s.SourcePaymentId, s.SourceTransactionId,
        s.CardBrand, s.CardLast4, s.CustomerEmail, s.CustomerName, s.SucceededCycles, s.FailedAttempts, s.LastChargedAtUtc,
        s.LastFailureAtUtc, s.OpenAttemptKey is not null, s.CreatedByName, s.CreatedAtUtc, s.UpdatedAtUtc);
}

/// <summary>What one charge of a schedule came to (from "charge next cycle now" or the runner).</summary>
/// <param name="Status">The cycle's status after the attempt: Succeeded, RetryScheduled, Failed or PendingVerification.</param>
/// <param name="PaymentId">The payment a success created.</param>
/// <param name="Message">The gateway's message, or why nothing was charged.</param>
public sealed record RecurringChargeOutcome(
    string ScheduleId,
    int CycleNumber,
    int AttemptNumber,
    RecurringCycleStatus Status,
    string? PaymentId,
    string? Message,
    RecurringScheduleStatus ScheduleStatus);

/// <summary>One round of the runner.</summary>
public sealed record RecurringRunResult(
    int Claimed,
    int Succeeded,
    int RetryScheduled,
    int Failed,
    int PendingVerification,
    int Completed,
    int Errors)
{
    public static RecurringRunResult Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>Audit action names written by the recurring feature (resource type <c>recurring-schedule</c>).</summary>
public static class RecurringAuditActions
{
    public const string ResourceType = "recurring-schedule";
    public const string Created = "recurring.created";
    public const string Paused = "recurring.paused";
    public const string Resumed = "recurring.resumed";
    public const string Cancelled = "recurring.cancelled";
    public const string AmountChanged = "recurring.amount-changed";
    public const string ChargeNow = "recurring.charge-now";
    public const string Refused = "recurring.refused";
    public const string CycleSucceeded = "recurring.cycle-succeeded";
    public const string CycleDeclined = "recurring.cycle-declined";
    public const string CyclePendingVerification = "recurring.cycle-pending-verification";
    public const string ScheduleStopped = "recurring.schedule-stopped";
    public const string Completed = "recurring.completed";
}
