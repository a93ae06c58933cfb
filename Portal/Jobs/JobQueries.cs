using Microsoft.EntityFrameworkCore;
using Portal.Persistence;

namespace Portal.Jobs;

/// <param name="Scheduled">Has a recurring registration: schedules are on and the job is not paused.</param>
/// <param name="Pause">Set while an admin has the job paused.</param>
/// <param name="NextRunUtc">Hangfire's next execution of the recurring job.</param>
public sealed record JobSummary(
    JobDefinition Job,
    string Cron,
    bool Scheduled,
    JobPause? Pause,
    JobRun? LastRun,
    DateTime? NextRunUtc,
    bool Running,
    int FailedRunsLast24Hours);

/// <summary>Read side of the Jobs page: run history from the portal's database, next runs from Hangfire.</summary>
public sealed class JobQueries(IDbContextFactory<PortalDbContext> dbFactory, JobScheduler scheduler, TimeProvider clock)
{
    public async Task<IReadOnlyList<JobSummary>> GetSummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = clock.GetUtcNow().UtcDateTime.AddHours(-24);
        var pauses = await scheduler.PausesAsync(cancellationToken);
        var nextRuns = scheduler.NextRunsUtc();
        var result = new List<JobSummary>();
        foreach (var job in scheduler.Jobs)
        {
            var last = await db.Set<JobRun>().AsNoTracking()
                .Where(r => r.JobName == job.Name)
                .OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id)
                .FirstOrDefaultAsync(cancellationToken);
            var failures = await db.Set<JobRun>()
                .CountAsync(r => r.JobName == job.Name && r.StartedAtUtc >= since && r.Outcome == JobRunOutcome.Failed, cancellationToken);
            var paused = pauses.GetValueOrDefault(job.Name);
            var scheduled = scheduler.SchedulesEnabled && paused is null;
            result.Add(new JobSummary(job, scheduler.CronOf(job), scheduled, paused, last,
                scheduled ? nextRuns.GetValueOrDefault(job.Name) : null,
                last?.Outcome == JobRunOutcome.Running, failures));
        }
        return result;
    }

    public async Task<IReadOnlyList<JobRun>> GetHistoryAsync(string jobName, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobRun>().AsNoTracking()
            .Where(r => r.JobName == jobName)
            .OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id)
            .Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
    }
}
