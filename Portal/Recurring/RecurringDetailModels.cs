using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;

namespace Portal.Recurring;

/// <summary>Everything <c>/recurring/{id}</c> shows.</summary>
/// <param name="Upcoming">The next few cycle dates the calendar gives (empty when nothing is left).</param>
public sealed record RecurringScheduleDetail(
    RecurringScheduleView Schedule,
    IReadOnlyList<RecurringCycleRow> Cycles,
    IReadOnlyList<RecurringUpcomingCycle> Upcoming,
    IReadOnlyList<RecurringAuditRow> Audit);

/// <summary>One charged (or attempted) cycle, newest first, with its attempts; <see cref="PaymentId"/> links to <c>/payments/{id}</c>.</summary>
public sealed record RecurringCycleRow(
    int Number,
    DateTime DueAtUtc,
    long AmountMinor,
    string Currency,
    RecurringCycleStatus Status,
    int AttemptCount,
    DateTime? NextAttemptAtUtc,
    string? PaymentId,
    string? TransactionId,
    string? GatewayTransactionId,
    string? GatewayMessage,
    string? GatewayCode,
    DateTime? CompletedAtUtc,
    IReadOnlyList<RecurringAttemptRow> Attempts);

/// <summary>One gateway attempt of a cycle: the key sent as tracking_id, the card-on-file kind, the gateway's answer.</summary>
public sealed record RecurringAttemptRow(
    int Number,
    TokenChargeKind Kind,
    string IdempotencyKey,
    RecurringAttemptStatus Status,
    int SendCount,
    string? GatewayTransactionId,
    string? GatewayMessage,
    string? GatewayCode,
    DateTime CreatedAtUtc,
    DateTime? AnsweredAtUtc);

public sealed record RecurringUpcomingCycle(int Number, DateTime DueAtUtc, long AmountMinor, string Currency);

/// <summary>One audit entry about the schedule (actions by people and by the job), oldest first.</summary>
public sealed record RecurringAuditRow(
    DateTime OccurredAtUtc,
    string ActorName,
    string Origin,
    string Action,
    string? Details,
    string? Before,
    string? After,
    long? AmountBefore,
    long? AmountAfter,
    string? Currency);

/// <summary>Counts for the dashboard tile ("failed" = needs attention).</summary>
public sealed record RecurringDashboardCounts(
    int Active,
    int Paused,
    int NeedsAttention,
    int PastDue,
    int PendingVerification,
    int DueNext24Hours)
{
    public int Failing => NeedsAttention + PastDue;
}

/// <summary>A transaction of a payment that a schedule could be created from; <see cref="Eligible"/> false says why not in <see cref="Reason"/>.</summary>
public sealed record RecurringSource(
    string PaymentId,
    string TransactionId,
    DateTime CreatedAtUtc,
    TransactionStatus Status,
    long AmountMinor,
    string Currency,
    string? GatewayId,
    string? CardBrand,
    string? CardLast4,
    string? CustomerEmail,
    bool Eligible,
    string? Reason);
