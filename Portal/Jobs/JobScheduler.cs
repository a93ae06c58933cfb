using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Jobs;

/// <summary>
/// The portal's jobs on Hangfire, through the host's own Hangfire services only (never
/// <c>JobStorage.Current</c>: tests run several hosts in one process). At start-up every job in
/// the catalog gets a recurring registration with its cron, unless schedules are off
/// (<c>Jobs:Enabled=false</c>) or an admin paused it; "Run now", pause and resume are audited.
/// </summary>
public sealed class JobScheduler(
    IEnumerable<JobDefinition> definitions,
    JobRunner runner,
    IOptions<JobsOptions> options,
    IRecurringJobManager recurring,
    IBackgroundJobClient client,
    JobStorage storage,
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<JobScheduler> logger) : IHostedService
{
    public const string ScheduleTrigger = "schedule";

    public IReadOnlyList<JobDefinition> Jobs { get; } = definitions.ToList();

    public bool SchedulesEnabled => options.Value.Enabled;

    public string CronOf(JobDefinition job) =>
        options.Value.Cron.TryGetValue(job.Name, out var cron) && !string.IsNullOrWhiteSpace(cron) ? cron.Trim() : job.DefaultCron;

    public JobDefinition Find(string jobName) =>
        Jobs.FirstOrDefault(j => j.Name == jobName) ?? throw new ArgumentException($"Unknown job '{jobName}'.", nameof(jobName));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.EnsureLeasesAsync(Jobs, cancellationToken);
        var paused = await PausedJobsAsync(cancellationToken);
        foreach (var job in Jobs)
        {
            if (SchedulesEnabled && !paused.Contains(job.Name))
                Register(job);
            else
                recurring.RemoveIfExists(job.Name);
        }
        logger.LogInformation("Jobs registered: {JobCount} job(s), schedules {State}, paused {Paused}",
            Jobs.Count, SchedulesEnabled ? "on" : "off", paused.Count == 0 ? "none" : string.Join(", ", paused));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Enqueues a run now (admin's "Run now"), audited. Works when schedules are off or the job is paused.</summary>
    public async Task<string> TriggerNowAsync(string jobName, Actor actor, CancellationToken cancellationToken = default)
    {
        var job = Find(jobName);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            audit.Record(db, actor, "job.triggered", "job", job.Name);
            await db.SaveChangesAsync(cancellationToken);
        }
        var trigger = "manual:" + actor.Name;
        return client.Enqueue<HangfireJobInvoker>(i => i.RunAsync(job.Name, trigger, CancellationToken.None));
    }

    /// <returns>False when the job was already paused (nothing recorded).</returns>
    public async Task<bool> PauseAsync(string jobName, Actor actor, CancellationToken cancellationToken = default)
    {
        var job = Find(jobName);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Set<JobPause>().AnyAsync(p => p.JobName == job.Name, cancellationToken))
                return false;
            db.Add(new JobPause(job.Name, clock.GetUtcNow().UtcDateTime, actor.Name));
            audit.Record(db, actor, "job.paused", "job", job.Name);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                if (await IsPausedAsync(job.Name, CancellationToken.None))
                    return false; // another admin paused it at the same moment
                throw;
            }
        }
        recurring.RemoveIfExists(job.Name);
        logger.LogInformation("Job {JobName} paused by {Actor}", job.Name, actor.Name);
        return true;
    }

    /// <returns>False when the job was not paused (nothing recorded).</returns>
    public async Task<bool> ResumeAsync(string jobName, Actor actor, CancellationToken cancellationToken = default)
    {
        var job = Find(jobName);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var pause = await db.Set<JobPause>().SingleOrDefaultAsync(p => p.JobName == job.Name, cancellationToken);
            if (pause is null) return false;
            db.Remove(pause);
            audit.Record(db, actor, "job.resumed", "job", job.Name);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return false; // another admin resumed it at the same moment
            }
        }
        if (SchedulesEnabled) Register(job);
        logger.LogInformation("Job {JobName} resumed by {Actor}", job.Name, actor.Name);
        return true;
    }

    public async Task<bool> IsPausedAsync(string jobName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobPause>().AnyAsync(p => p.JobName == jobName, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, JobPause>> PausesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobPause>().AsNoTracking().ToDictionaryAsync(p => p.JobName, cancellationToken);
    }

    /// <summary>Hangfire's next execution of each registered recurring job, by job name.</summary>
    public IReadOnlyDictionary<string, DateTime?> NextRunsUtc()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs(Jobs.Select(j => j.Name))
            .Where(r => !r.Removed)
            .ToDictionary(r => r.Id, r => r.NextExecution);
    }

    private async Task<HashSet<string>> PausedJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Set<JobPause>().Select(p => p.JobName).ToListAsync(cancellationToken)).ToHashSet();
    }

    private void Register(JobDefinition job)
    {
        var cron = CronOf(job);
        try
        {
            recurring.AddOrUpdate<HangfireJobInvoker>(job.Name, i => i.RunAsync(job.Name, ScheduleTrigger, CancellationToken.None),
                cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Jobs:Cron:{job.Name} '{cron}' is not a valid cron expression: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// What Hangfire runs: it only hands the job to our <see cref="JobRunner"/>, which takes the job's
/// lease and records the run in the portal's database. No Hangfire retries: the runner records a
/// failure and the next scheduled run tries again.
/// </summary>
public sealed class HangfireJobInvoker(JobScheduler scheduler, JobRunner runner, ILogger<HangfireJobInvoker> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("{0} ({1})")]
    public async Task RunAsync(string jobName, string trigger, CancellationToken cancellationToken)
    {
        var job = scheduler.Find(jobName);
        // A pause removes the registration, but a run Hangfire already picked up may still arrive.
        if (trigger == JobScheduler.ScheduleTrigger && await scheduler.IsPausedAsync(job.Name, cancellationToken))
        {
            logger.LogInformation("Job {JobName} skipped: it is paused", job.Name);
            return;
        }
        var run = await runner.RunAsync(job, trigger, cancellationToken);
        // A scheduled run that finds the job busy elsewhere is simply this round's skip; an admin's
        // "Run now" waits for the running one to finish (up to a minute) so the press is not lost.
        var until = DateTime.UtcNow + ManualRunPatience;
        while (run is null && trigger != JobScheduler.ScheduleTrigger && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            run = await runner.RunAsync(job, trigger, cancellationToken);
        }
        if (run is null && trigger != JobScheduler.ScheduleTrigger)
            logger.LogWarning("Job {JobName} not run for {Trigger}: it stayed busy on another instance", job.Name, trigger);
    }

    private static readonly TimeSpan ManualRunPatience = TimeSpan.FromMinutes(1);
}
