namespace Portal.Domain.Recurring;

/// <summary>The unit of a schedule's interval ("every N days / weeks / months / years").</summary>
public enum RecurringIntervalUnit
{
    Day,
    Week,
    Month,
    Year,
}

/// <summary>How a schedule ends.</summary>
public enum RecurringEndKind
{
    /// <summary>Open-ended: runs until cancelled.</summary>
    Never,

    /// <summary>No cycle falls due after <see cref="RecurringSchedule.EndDate"/>.</summary>
    OnDate,

    /// <summary>After <see cref="RecurringSchedule.MaxCycles"/> cycles.</summary>
    AfterCycles,
}

/// <summary>
/// Where a schedule stands. Only <see cref="Active"/> schedules are charged; <see cref="Cancelled"/>
/// and <see cref="Completed"/> are final.
/// </summary>
public enum RecurringScheduleStatus
{
    /// <summary>Charged when its next cycle falls due.</summary>
    Active,

    /// <summary>Collection paused by finance; cycles falling due meanwhile are skipped.</summary>
    Paused,

    /// <summary>A hard decline (lost/stolen card, invalid token): not retried, a person must look.</summary>
    NeedsAttention,

    /// <summary>A cycle was still soft-declined after the last dunning retry.</summary>
    PastDue,

    /// <summary>Cancelled by finance or by dunning (final).</summary>
    Cancelled,

    /// <summary>Every cycle up to the end date / cycle count is done (final).</summary>
    Completed,
}

/// <summary>Where one cycle (one calendar occurrence) stands.</summary>
public enum RecurringCycleStatus
{
    /// <summary>An attempt is recorded and sent (or about to be); its answer is not in yet.</summary>
    Processing,

    /// <summary>The gateway's answer was lost or undecided: only a query by the attempt's key resolves it.</summary>
    PendingVerification,

    /// <summary>Soft-declined; the next attempt (resubmission) is due at <see cref="RecurringCycle.NextAttemptAtUtc"/>.</summary>
    RetryScheduled,

    /// <summary>Charged: a payment and its transaction exist.</summary>
    Succeeded,

    /// <summary>Hard-declined, or soft-declined after the last retry.</summary>
    Failed,
}

/// <summary>Where one gateway attempt of a cycle stands.</summary>
public enum RecurringAttemptStatus
{
    /// <summary>Recorded (committed) before the gateway call; no answer yet.</summary>
    Sent,

    /// <summary>Answer lost or undecided (timeout, 5xx, pending): resolved only by a query with the same key.</summary>
    PendingVerification,

    Approved,

    SoftDeclined,

    HardDeclined,
}

/// <summary>What happens to a schedule whose cycle is still soft-declined after the last retry.</summary>
public enum RecurringAfterLastRetry
{
    PastDue,
    Cancel,
}
