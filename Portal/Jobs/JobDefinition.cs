namespace Portal.Jobs;

/// <summary>A background job: thin, it calls a domain service with a bounded batch.</summary>
public interface IPortalJob
{
    Task<JobResult> RunAsync(CancellationToken cancellationToken);
}

public sealed record JobResult(int ItemsProcessed, string? Message = null);

/// <summary>What the scheduler and the Jobs page know about a job.</summary>
public sealed record JobDefinition(string Name, string Title, string Description, Type JobType, TimeSpan Interval);

/// <summary>Settings under <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run jobs on their schedules. When false, jobs run only when an admin triggers them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Per-job interval in seconds, keyed by job name (overrides the job's default).</summary>
    public Dictionary<string, int> IntervalSeconds { get; set; } = new();
}
