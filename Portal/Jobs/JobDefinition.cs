namespace Portal.Jobs;

/// <summary>A background job: thin, it calls a domain service with a bounded batch.</summary>
public interface IPortalJob
{
    Task<JobResult> RunAsync(CancellationToken cancellationToken);
}

public sealed record JobResult(int ItemsProcessed, string? Message = null);

/// <summary>What the scheduler and the Jobs page know about a job (the list is <see cref="JobCatalog"/>).</summary>
/// <param name="DefaultCron">Hangfire cron (5 fields, or 6 with seconds first), used unless <c>Jobs:Cron:&lt;name&gt;</c> says otherwise.</param>
public sealed record JobDefinition(string Name, string Title, string Description, Type JobType, string DefaultCron);

/// <summary>Settings under <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run jobs on their schedules. When false, no recurring job is registered; jobs run only when an admin triggers them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Per-job cron expression, keyed by job name (overrides the catalog's default).</summary>
    public Dictionary<string, string> Cron { get; set; } = new();

    /// <summary>How often Hangfire looks for due recurring jobs and for enqueued work, in seconds.</summary>
    public int PollingIntervalSeconds { get; set; } = 5;

    /// <summary>Hangfire worker threads in this instance (each runs one job at a time).</summary>
    public int WorkerCount { get; set; } = 2;
}
