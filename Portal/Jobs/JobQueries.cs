using Microsoft.EntityFrameworkCore;
using Portal.Persistence;

namespace Portal.Jobs;

public sealed record JobSummary(
    JobDefinition Job,
    TimeSpan Interval,
    bool Scheduled,
    JobRun? LastRun,
    DateTime? NextRunUtc,
    bool Running,
    int FailedRunsLast24Hours);

/// <summary>Read side of the Jobs page.</summary>
public sealed class JobQueries(IDbContextFactory<PortalDbContext> dbFactory, PortalScheduler scheduler, TimeProvider clock)
{
    public async Task<IReadOnlyList<JobSummary>> GetSummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = clock.GetUtcNow().UtcDateTime.AddHours(-24);
        var result = new List<JobSummary>();
        foreach (var job in scheduler.Jobs)
        {
            var last = await db.Set<JobRun>().AsNoTracking()
                .Where(r => r.JobName == job.Name)
                .OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id)
                .FirstOrDefaultAsync(cancellationToken);
            var failures = await db.Set<JobRun>()
                .CountAsync(r => r.JobName == job.Name && r.StartedAtUtc >= since && r.Outcome == JobRunOutcome.Failed, cancellationToken);
            result.Add(new JobSummary(job, scheduler.IntervalOf(job), scheduler.SchedulesEnabled, last,
                await scheduler.NextRunUtcAsync(job.Name, cancellationToken),
                await scheduler.IsRunningAsync(job.Name, cancellationToken), failures));
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
