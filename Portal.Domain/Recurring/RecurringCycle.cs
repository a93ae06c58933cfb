using Portal.Domain.Gateways;
using Portal.Domain.Money;

namespace Portal.Domain.Recurring;

/// <summary>
/// One calendar occurrence of a schedule: unique per (schedule, number). Its attempts are the
/// gateway calls made for it (the first, then dunning retries).
/// </summary>
public sealed class RecurringCycle
{
    private RecurringCycle() { }

    internal RecurringCycle(RecurringSchedule schedule, int number, DateTime nowUtc)
    {
        ScheduleId = schedule.Id;
        Number = number;
        DueAtUtc = schedule.DueAtUtc(number);
        AmountMinor = schedule.AmountMinor;
        Currency = schedule.Currency;
        Status = RecurringCycleStatus.Processing;
        CreatedAtUtc = UpdatedAtUtc = nowUtc;
    }

    public long Id { get; private set; }

    public string ScheduleId { get; private set; } = "";

    /// <summary>Calendar occurrence number (1-based).</summary>
    public int Number { get; private set; }

    public DateTime DueAtUtc { get; private set; }

    /// <summary>The amount this cycle charges (the schedule's amount when the cycle was first attempted).</summary>
    public long AmountMinor { get; private set; }

    public Currency Currency { get; private set; } = null!;

    public RecurringCycleStatus Status { get; private set; }

    /// <summary>Attempts made so far (1 = the first charge; more are dunning retries).</summary>
    public int AttemptCount { get; private set; }

    /// <summary>With <see cref="RecurringCycleStatus.RetryScheduled"/>: when the next attempt is due.</summary>
    public DateTime? NextAttemptAtUtc { get; private set; }

    /// <summary>The payment a successful charge created.</summary>
    public string? PaymentId { get; private set; }

    public string? TransactionId { get; private set; }

    /// <summary>The gateway's id of the last attempt's transaction.</summary>
    public string? GatewayTransactionId { get; private set; }

    /// <summary>The gateway's last message (decline reason, lost-answer reason, confirmation).</summary>
    public string? GatewayMessage { get; private set; }

    public string? GatewayCode { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    public DateTime? CompletedAtUtc { get; private set; }

    public long Version { get; private set; }

    public Money.Money Amount => new(AmountMinor, Currency);

    public bool IsOpen => Status is RecurringCycleStatus.Processing or RecurringCycleStatus.PendingVerification or RecurringCycleStatus.RetryScheduled;

    internal int NextAttemptNumber() => AttemptCount + 1;

    internal void AttemptStarted(DateTime nowUtc)
    {
        if (!IsOpen) throw new InvalidOperationException($"Cycle {Number} of schedule {ScheduleId} is {Status}; no attempt can start.");
        AttemptCount++;
        Status = RecurringCycleStatus.Processing;
        NextAttemptAtUtc = null;
        Changed(nowUtc);
    }

    internal void Succeeded(string paymentId, string transactionId, string gatewayTransactionId, string? message, DateTime nowUtc)
    {
        PaymentId = paymentId;
        TransactionId = transactionId;
        GatewayTransactionId = gatewayTransactionId;
        GatewayMessage = Limit(message, 1000);
        GatewayCode = null;
        Status = RecurringCycleStatus.Succeeded;
        CompletedAtUtc = nowUtc;
        Changed(nowUtc);
    }

    internal void RetryAt(DateTime retryAtUtc, string? gatewayTransactionId, string reason, string? code, DateTime nowUtc)
    {
        GatewayTransactionId = Limit(gatewayTransactionId, 200) ?? GatewayTransactionId;
        GatewayMessage = Limit(reason, 1000);
        GatewayCode = Limit(code, 100);
        Status = RecurringCycleStatus.RetryScheduled;
        NextAttemptAtUtc = retryAtUtc;
        Changed(nowUtc);
    }

    internal void Failed(string? gatewayTransactionId, string reason, string? code, DateTime nowUtc)
    {
        GatewayTransactionId = Limit(gatewayTransactionId, 200) ?? GatewayTransactionId;
        GatewayMessage = Limit(reason, 1000);
        GatewayCode = Limit(code, 100);
        Status = RecurringCycleStatus.Failed;
        NextAttemptAtUtc = null;
        CompletedAtUtc = nowUtc;
        Changed(nowUtc);
    }

    internal void AwaitVerification(string? gatewayTransactionId, string reason, DateTime nowUtc)
    {
        GatewayTransactionId = Limit(gatewayTransactionId, 200) ?? GatewayTransactionId;
        GatewayMessage = Limit(reason, 1000);
        Status = RecurringCycleStatus.PendingVerification;
        Changed(nowUtc);
    }

    private void Changed(DateTime nowUtc)
    {
        Version++;
        if (nowUtc > UpdatedAtUtc) UpdatedAtUtc = nowUtc;
    }

    internal static string? Limit(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];
}

/// <summary>
/// One gateway call for a cycle, recorded (committed) BEFORE the call. Its key,
/// <c>{scheduleId}-c{cycle}-a{attempt}</c>, is the gateway's <c>tracking_id</c> and unique in the
/// database: attempt 2 (a dunning retry) never shares a key with attempt 1, and attempt 2 is only
/// ever created after attempt 1's outcome is known (a lost answer is first resolved by a query with
/// attempt 1's key). Re-sending the same attempt (after the gateway said it never received it)
/// reuses its key, so the gateway's duplicate check makes a second charge impossible.
/// </summary>
public sealed class RecurringCycleAttempt
{
    public const int MaxKeyLength = 100;

    private RecurringCycleAttempt() { }

    internal RecurringCycleAttempt(RecurringCycle cycle, int number, TokenChargeKind kind, DateTime nowUtc)
    {
        CycleId = cycle.Id;
        ScheduleId = cycle.ScheduleId;
        CycleNumber = cycle.Number;
        Number = number;
        Kind = kind;
        IdempotencyKey = KeyFor(cycle.ScheduleId, cycle.Number, number);
        AmountMinor = cycle.AmountMinor;
        Currency = cycle.Currency;
        Status = RecurringAttemptStatus.Sent;
        SendCount = 1;
        CreatedAtUtc = UpdatedAtUtc = nowUtc;
    }

    /// <summary>The attempt's idempotency key (sent as <c>tracking_id</c>).</summary>
    public static string KeyFor(string scheduleId, int cycleNumber, int attemptNumber) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{scheduleId}-c{cycleNumber}-a{attemptNumber}");

    public long Id { get; private set; }

    public long CycleId { get; private set; }

    public string ScheduleId { get; private set; } = "";

    public int CycleNumber { get; private set; }

    /// <summary>1 for the cycle's first charge, 2.. for dunning retries.</summary>
    public int Number { get; private set; }

    public TokenChargeKind Kind { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    public long AmountMinor { get; private set; }

    public Currency Currency { get; private set; } = null!;

    public RecurringAttemptStatus Status { get; private set; }

    /// <summary>How many times this attempt was sent (more than 1 only when the gateway said it never received it; same key each time).</summary>
    public int SendCount { get; private set; }

    public string? GatewayTransactionId { get; private set; }

    public string? GatewayMessage { get; private set; }

    public string? GatewayCode { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    public DateTime? AnsweredAtUtc { get; private set; }

    /// <summary>When the gateway was last asked about this attempt by its key.</summary>
    public DateTime? LastCheckedAtUtc { get; private set; }

    public long Version { get; private set; }

    public bool IsOpen => Status is RecurringAttemptStatus.Sent or RecurringAttemptStatus.PendingVerification;

    internal void Resent(DateTime nowUtc)
    {
        SendCount++;
        Changed(nowUtc);
    }

    internal void Answered(RecurringAttemptStatus status, string? gatewayTransactionId, string? message, string? code, DateTime nowUtc)
    {
        Status = status;
        GatewayTransactionId = RecurringCycle.Limit(gatewayTransactionId, 200) ?? GatewayTransactionId;
        GatewayMessage = RecurringCycle.Limit(message, 1000);
        GatewayCode = RecurringCycle.Limit(code, 100);
        if (status != RecurringAttemptStatus.PendingVerification) AnsweredAtUtc = nowUtc;
        Changed(nowUtc);
    }

    internal void Checked(DateTime nowUtc)
    {
        LastCheckedAtUtc = nowUtc;
        Changed(nowUtc);
    }

    private void Changed(DateTime nowUtc)
    {
        Version++;
        if (nowUtc > UpdatedAtUtc) UpdatedAtUtc = nowUtc;
    }
}
