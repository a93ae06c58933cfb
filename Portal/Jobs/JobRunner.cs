using Microsoft.EntityFrameworkCore;
using Portal.Persistence;

namespace Portal.Jobs;

/// <summary>
/// Runs one job execution: takes the job's lease in the database (so a second instance skips
/// it), records the run, resolves the job in its own scope, and records the outcome. A failure
/// is logged and recorded; it never escapes to the scheduler.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(15);

    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public async Task EnsureLeasesAsync(IEnumerable<JobDefinition> jobs, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.Set<JobLease>().AnyAsync(l => l.JobName == job.Name, cancellationToken))
                continue;
            db.Add(new JobLease(job.Name));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it first: fine.
            }
        }
    }

    /// <returns>The finished run, or null when another instance holds the job's lease.</returns>
    public async Task<JobRun?> RunAsync(JobDefinition job, string trigger, CancellationToken cancellationToken)
    {
        var owner = $"{InstanceId}:{Guid.NewGuid():N}";
        if (!await TryAcquireAsync(job.Name, owner, cancellationToken))
        {
            logger.LogInformation("Job {JobName} skipped: it is running on another instance", job.Name);
            return null;
        }

        JobRun run;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // We hold the lease, so any run still marked Running died with its process.
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Set<JobRun>()
                .Where(r => r.JobName == job.Name && r.Outcome == JobRunOutcome.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Outcome, JobRunOutcome.Interrupted)
                    .SetProperty(r => r.FinishedAtUtc, now)
                    .SetProperty(r => r.Error, "The process stopped before the run finished."), cancellationToken);
            run = new JobRun(job.Name, trigger, InstanceId, now);
            db.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        JobRunOutcome outcome;
        JobResult? result = null;
        string? error = null;
        await using var scope = scopes.CreateAsyncScope();
        // Hosts that register no progress sink (a bare runner in tests) simply record no progress.
        var progress = scope.ServiceProvider.GetService<JobRunProgress>();
        progress?.Start(job.Name, run.Id);
        using (logger.BeginScope("Job {JobName} run {JobRunId}", job.Name, run.Id))
        {
            try
            {
                var instance = (IPortalJob)scope.ServiceProvider.GetRequiredService(job.JobType);
                result = await instance.RunAsync(cancellationToken);
                outcome = JobRunOutcome.Succeeded;
                logger.LogInformation("Job {JobName} processed {Items} item(s): {Message}", job.Name, result.ItemsProcessed, result.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = JobRunOutcome.Interrupted;
                error = "Cancelled: the portal is shutting down.";
                logger.LogWarning("Job {JobName} cancelled", job.Name);
            }
            catch (Exception ex)
            {
                outcome = JobRunOutcome.Failed;
                error = ex.Message;
                logger.LogError(ex, "Job {JobName} failed", job.Name);
            }
        }

        // Record the outcome even when the run was cancelled.
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            db.Attach(run);
            run.Finish(clock.GetUtcNow().UtcDateTime, outcome, result?.ItemsProcessed ?? 0, result?.Message, Truncate(error, 4000), progress?.Snapshot);
            await db.SaveChangesAsync(CancellationToken.None);
            await db.Set<JobLease>()
                .Where(l => l.JobName == job.Name && l.Owner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, (string?)null), CancellationToken.None);
        }
        progress?.End();
        return run;
    }

    private async Task<bool> TryAcquireAsync(string jobName, string owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + LeaseDuration;
        var taken = await db.Set<JobLease>()
            .Where(l => l.JobName == jobName && (l.Owner == null || l.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Owner, owner)
                .SetProperty(l => l.LeaseUntilUtc, until), cancellationToken);
        return taken == 1;
    }

    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..max];
}
