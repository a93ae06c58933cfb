using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Polling;
using Portal.Jobs;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Jobs;

public sealed class JobRunnerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly GateJob _gate = new();
    private readonly ServiceProvider _services;

    public JobRunnerTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_gate);
        services.AddScoped<GateJob.Scoped>();
        services.AddScoped<FailingJob>();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_clock);
        services.AddSingleton<IDbContextFactory<PortalDbContext>>(_db);
        services.AddLogging();
        services.AddSingleton<JobProgressHub>();
        services.AddScoped<JobRunProgress>();
        services.AddScoped<IBatchProgress>(sp => sp.GetRequiredService<JobRunProgress>());
        services.AddScoped<ProgressJob>();
        _services = services.BuildServiceProvider();
    }

    private static readonly JobDefinition Gate = new("gate", "Gate", "waits for the test", typeof(GateJob.Scoped), "* * * * *");
    private static readonly JobDefinition Progress = new("progress", "Progress", "reports items", typeof(ProgressJob), "* * * * *");
    private static readonly JobDefinition Failing = new("failing", "Failing", "always throws", typeof(FailingJob), "* * * * *");

    private JobRunner NewRunner() => new(_db, _services.GetRequiredService<IServiceScopeFactory>(), _clock, NullLogger<JobRunner>.Instance);

    [Fact]
    public async Task RunAsync_TwoInstancesAtOnce_OnlyOneRuns()
    {
        var first = NewRunner();
        var second = NewRunner();
        await first.EnsureLeasesAsync([Gate], default);

        var running = first.RunAsync(Gate, "schedule", default);
        await _gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var skipped = await second.RunAsync(Gate, "schedule", default);
        Assert.Null(skipped);

        _gate.Release.SetResult();
        var run = await running;
        Assert.NotNull(run);
        Assert.Equal(JobRunOutcome.Succeeded, run.Outcome);
        Assert.Equal(1, _gate.Executions);

        // The lease was released: the next run goes ahead.
        _gate.Reset();
        _gate.Release.SetResult();
        Assert.NotNull(await second.RunAsync(Gate, "schedule", default));
    }

    [Fact]
    public async Task RunAsync_JobReportsProgress_LiveInTheHubWrittenToTheRunAndFinalAtTheEnd()
    {
        var runner = NewRunner();
        await runner.EnsureLeasesAsync([Progress], default);
        var hub = _services.GetRequiredService<JobProgressHub>();
        var changes = 0;
        hub.Changed += name => { if (name == "progress") Interlocked.Increment(ref changes); };

        var running = runner.RunAsync(Progress, "schedule", default);
        await _gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // In this process: at once, through the hub.
        var live = hub.Current("progress");
        Assert.NotNull(live);
        Assert.Equal((3, 2), (live.Claimed, live.Done));
        Assert.True(changes >= 3);
        // For other instances: the run's row, written while it is still running.
        await using (var db = _db.CreateDbContext())
        {
            var until = DateTime.UtcNow.AddSeconds(10);
            JobRun row;
            while ((row = await db.Set<JobRun>().AsNoTracking().SingleAsync(r => r.JobName == "progress")).ItemsDone != 2 && DateTime.UtcNow < until)
                await Task.Delay(50);
            Assert.Equal(JobRunOutcome.Running, row.Outcome);
            Assert.Equal((3, 2), (row.ItemsClaimed, row.ItemsDone));
        }

        _gate.Release.SetResult();
        var run = await running;
        await using var read = _db.CreateDbContext();
        var stored = await read.Set<JobRun>().SingleAsync(r => r.Id == run!.Id);
        Assert.Equal((3, 3, 3), (stored.ItemsClaimed, stored.ItemsDone, stored.ItemsProcessed));
        Assert.Null(hub.Current("progress"));
    }

    [Fact]
    public async Task RunAsync_JobThrows_RunRecordedAsFailedWithError()
    {
        var runner = NewRunner();
        await runner.EnsureLeasesAsync([Failing], default);

        var run = await runner.RunAsync(Failing, "manual:ann", default);

        await using var db = _db.CreateDbContext();
        var stored = await db.Set<JobRun>().SingleAsync();
        Assert.Equal(JobRunOutcome.Failed, stored.Outcome);
        Assert.Equal("gateway unreachable", stored.Error);
        Assert.Equal("manual:ann", stored.Trigger);
        Assert.NotNull(stored.FinishedAtUtc);
        Assert.Equal(run!.Id, stored.Id);
        // The lease is free again despite the failure.
        Assert.Null((await db.Set<JobLease>().SingleAsync(l => l.JobName == "failing")).Owner);
    }

    [Fact]
    public async Task RunAsync_AfterProcessDiedMidRun_OldRunMarkedInterrupted()
    {
        var runner = NewRunner();
        await runner.EnsureLeasesAsync([Failing], default);
        await using (var db = _db.CreateDbContext())
        {
            // A run that was going on when its process was killed, with its lease long expired.
            db.Add(new JobRun("failing", "schedule", "dead-instance", Start.UtcDateTime.AddHours(-1)));
            await db.Set<JobLease>().Where(l => l.JobName == "failing")
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, "dead-instance:1").SetProperty(l => l.LeaseUntilUtc, Start.UtcDateTime.AddMinutes(-45)));
            await db.SaveChangesAsync();
        }

        Assert.NotNull(await runner.RunAsync(Failing, "schedule", default));

        await using var read = _db.CreateDbContext();
        var old = await read.Set<JobRun>().SingleAsync(r => r.InstanceId == "dead-instance");
        Assert.Equal(JobRunOutcome.Interrupted, old.Outcome);
    }

    [Fact]
    public async Task RunAsync_LeaseHeldAndNotExpired_Skips()
    {
        var runner = NewRunner();
        await runner.EnsureLeasesAsync([Failing], default);
        await using (var db = _db.CreateDbContext())
        {
            await db.Set<JobLease>().Where(l => l.JobName == "failing")
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, "other:1").SetProperty(l => l.LeaseUntilUtc, Start.UtcDateTime.AddMinutes(5)));
        }

        Assert.Null(await runner.RunAsync(Failing, "schedule", default));
        await using var read = _db.CreateDbContext();
        Assert.Equal(0, await read.Set<JobRun>().CountAsync());
    }

    public void Dispose()
    {
        _services.Dispose();
        _db.Dispose();
    }

    private sealed class FailingJob : IPortalJob
    {
        public Task<JobResult> RunAsync(CancellationToken cancellationToken) => throw new HttpRequestException("gateway unreachable");
    }

    /// <summary>Claims three items, finishes two (a second apart), waits for the test, finishes the third.</summary>
    private sealed class ProgressJob(IBatchProgress progress, GateJob gate, FixedClock clock) : IPortalJob
    {
        public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
        {
            progress.Claimed(3);
            progress.Completed();
            clock.Advance(TimeSpan.FromSeconds(2));
            progress.Completed();
            gate.Entered.TrySetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
            progress.Completed();
            return new JobResult(3, "done");
        }
    }

    private sealed class GateJob
    {
        public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Executions;

        public void Reset()
        {
            Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public sealed class Scoped(GateJob gate) : IPortalJob
        {
            public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref gate.Executions);
                gate.Entered.TrySetResult();
                await gate.Release.Task.WaitAsync(cancellationToken);
                return new JobResult(1, "done");
            }
        }
    }
}
