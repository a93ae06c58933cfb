using System.Collections.Specialized;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Persistence;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace Portal.Jobs;

/// <summary>
/// Quartz in memory, started from our own hosted service (Quartz.Extensions.Hosting is not
/// obtainable). Durable state (run history, leases) lives in the portal's database. Each host
/// gets its own scheduler name: Quartz's default name is process-wide.
/// </summary>
public sealed class PortalScheduler(
    IEnumerable<JobDefinition> definitions,
    JobRunner runner,
    IOptions<JobsOptions> options,
    IServiceProvider services,
    ILogger<PortalScheduler> logger) : IHostedService
{
    private const string TriggerKey = "trigger";
    private IScheduler? _scheduler;

    public IReadOnlyList<JobDefinition> Jobs { get; } = definitions.ToList();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.EnsureLeasesAsync(Jobs, cancellationToken);
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = "portal-" + Guid.NewGuid().ToString("N"),
            ["quartz.threadPool.maxConcurrency"] = "4",
            ["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz",
        };
        _scheduler = await new StdSchedulerFactory(properties).GetScheduler(cancellationToken);
        _scheduler.JobFactory = new Factory(runner, this);

        foreach (var job in Jobs)
        {
            var detail = JobBuilder.Create<QuartzJob>().WithIdentity(job.Name).StoreDurably().Build();
            await _scheduler.AddJob(detail, replace: true, cancellationToken);
            if (!options.Value.Enabled) continue;
            var trigger = TriggerBuilder.Create()
                .ForJob(detail)
                .WithIdentity(job.Name + "-schedule")
                .StartAt(DateTimeOffset.UtcNow + IntervalOf(job))
                .WithSimpleSchedule(s => s.WithInterval(IntervalOf(job)).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
                .UsingJobData(TriggerKey, "schedule")
                .Build();
            await _scheduler.ScheduleJob(trigger, cancellationToken);
        }

        await _scheduler.Start(cancellationToken);
        logger.LogInformation("Scheduler started with {JobCount} job(s); schedules {State}", Jobs.Count, options.Value.Enabled ? "on" : "off");
    }

    public TimeSpan IntervalOf(JobDefinition job) =>
        options.Value.IntervalSeconds.TryGetValue(job.Name, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : job.Interval;

    public bool SchedulesEnabled => options.Value.Enabled;

    public async Task<DateTime?> NextRunUtcAsync(string jobName, CancellationToken cancellationToken = default)
    {
        if (_scheduler is null) return null;
        var triggers = await _scheduler.GetTriggersOfJob(new JobKey(jobName), cancellationToken);
        return triggers.Select(t => t.GetNextFireTimeUtc()).Where(t => t.HasValue).Min()?.UtcDateTime;
    }

    public async Task<bool> IsRunningAsync(string jobName, CancellationToken cancellationToken = default)
    {
        if (_scheduler is null) return false;
        var running = await _scheduler.GetCurrentlyExecutingJobs(cancellationToken);
        return running.Any(j => j.JobDetail.Key.Name == jobName);
    }

    /// <summary>Starts a job now (admin's "Run now"), audited.</summary>
    public async Task TriggerNowAsync(string jobName, Actor actor, CancellationToken cancellationToken = default)
    {
        var job = Jobs.FirstOrDefault(j => j.Name == jobName) ?? throw new ArgumentException($"Unknown job '{jobName}'.", nameof(jobName));
        if (_scheduler is null) throw new InvalidOperationException("The scheduler is not running.");

        var audit = services.GetRequiredService<AuditTrail>();
        var dbFactory = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            audit.Record(db, actor, "job.triggered", "job", job.Name);
            await db.SaveChangesAsync(cancellationToken);
        }
        await _scheduler.TriggerJob(new JobKey(job.Name), new JobDataMap { [TriggerKey] = "manual:" + actor.Name }, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not null)
            await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    [DisallowConcurrentExecution]
    private sealed class QuartzJob(JobRunner runner, PortalScheduler scheduler) : IJob
    {
        public async Task Execute(IJobExecutionContext context)
        {
            var definition = scheduler.Jobs.First(j => j.Name == context.JobDetail.Key.Name);
            var trigger = context.MergedJobDataMap.GetString(TriggerKey) ?? "schedule";
            await runner.RunAsync(definition, trigger, context.CancellationToken);
        }
    }

    private sealed class Factory(JobRunner runner, PortalScheduler scheduler) : IJobFactory
    {
        public IJob NewJob(TriggerFiredBundle bundle, IScheduler _) => new QuartzJob(runner, scheduler);

        public void ReturnJob(IJob job) { }
    }
}
