namespace Portal.Jobs;

public enum JobRunOutcome
{
    Running,
    Succeeded,
    Failed,
    /// <summary>The process died or was stopped while the run was going on.</summary>
    Interrupted,
}

/// <summary>One execution of a job, kept in the portal's database for the Jobs page (Hangfire's own job records expire).</summary>
public sealed class JobRun
{
    private JobRun() { }

    public JobRun(string jobName, string trigger, string instanceId, DateTime startedAtUtc)
    {
        JobName = jobName;
        Trigger = trigger;
        InstanceId = instanceId;
        StartedAtUtc = startedAtUtc;
        Outcome = JobRunOutcome.Running;
    }

    public long Id { get; private set; }
    public string JobName { get; private set; } = "";
    /// <summary><c>schedule</c>, or <c>manual:&lt;user&gt;</c> when an admin pressed "Run now".</summary>
    public string Trigger { get; private set; } = "";
    public string InstanceId { get; private set; } = "";
    public DateTime StartedAtUtc { get; private set; }
    public DateTime? FinishedAtUtc { get; private set; }
    public long? DurationMs { get; private set; }
    public JobRunOutcome Outcome { get; private set; }
    public int ItemsProcessed { get; private set; }
    /// <summary>Items the run has claimed so far (written while it runs, at most about once a second, and at the end).</summary>
    public int ItemsClaimed { get; private set; }
    /// <summary>Items of those it has finished so far.</summary>
    public int ItemsDone { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public void Finish(DateTime finishedAtUtc, JobRunOutcome outcome, int items, string? message, string? error, JobProgressSnapshot? progress = null)
    {
        if (progress is not null)
        {
            ItemsClaimed = progress.Claimed;
            ItemsDone = progress.Done;
        }
        if (Outcome != JobRunOutcome.Running)
            throw new InvalidOperationException($"Job run {Id} already finished as {Outcome}.");
        FinishedAtUtc = finishedAtUtc;
        DurationMs = (long)(finishedAtUtc - StartedAtUtc).TotalMilliseconds;
        Outcome = outcome;
        ItemsProcessed = items;
        Message = message;
        Error = error;
    }
}

/// <summary>
/// Who may run a job right now. A run takes the lease with a conditional update, so two
/// portal instances (or two hosts in one test process) never run the same job at once.
/// </summary>
public sealed class JobLease
{
    private JobLease() { }

    public JobLease(string jobName)
    {
        JobName = jobName;
    }

    public string JobName { get; private set; } = "";
    public string? Owner { get; private set; }
    public DateTime LeaseUntilUtc { get; private set; }
}
