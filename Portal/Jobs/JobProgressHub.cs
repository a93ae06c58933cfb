using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Polling;
using Portal.Persistence;

namespace Portal.Jobs;

/// <summary>How far a run has got: items finished of items claimed.</summary>
public sealed record JobProgressSnapshot(string JobName, long RunId, int Claimed, int Done);

/// <summary>
/// Live progress of the runs going on in this process, for the Jobs page: a run reports into it
/// (<see cref="JobRunProgress"/>) and the page subscribes to <see cref="Changed"/> (marshalling
/// with InvokeAsync). Runs on other instances are seen through the counts the run writes to
/// <see cref="JobRun"/> in the database.
/// </summary>
public sealed class JobProgressHub
{
    private readonly ConcurrentDictionary<string, JobProgressSnapshot> _running = new(StringComparer.Ordinal);

    /// <summary>Raised with the job's name after its progress changed or its run ended. Handlers must be quick and must not throw.</summary>
    public event Action<string>? Changed;

    public JobProgressSnapshot? Current(string jobName) => _running.GetValueOrDefault(jobName);

    internal void Report(JobProgressSnapshot snapshot)
    {
        _running[snapshot.JobName] = snapshot;
        Changed?.Invoke(snapshot.JobName);
    }

    internal void End(string jobName, long runId)
    {
        if (_running.TryGetValue(jobName, out var s) && s.RunId == runId)
            _running.TryRemove(new KeyValuePair<string, JobProgressSnapshot>(jobName, s));
        Changed?.Invoke(jobName);
    }
}

/// <summary>
/// The progress sink of one job run (scoped: the runner starts it in the run's scope, the job's
/// domain service gets it as <see cref="IBatchProgress"/>). Counts are kept in memory and sent to
/// the hub at once; they are written to the run's row at most once a second (and at the end).
/// </summary>
public sealed class JobRunProgress(JobProgressHub hub, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<JobRunProgress> logger)
    : IBatchProgress
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private string? _jobName;
    private long _runId;
    private int _claimed;
    private int _done;
    private DateTimeOffset _lastWrite;
    private int _writing;

    internal void Start(string jobName, long runId)
    {
        _jobName = jobName;
        _runId = runId;
        _lastWrite = clock.GetUtcNow();
        hub.Report(new JobProgressSnapshot(jobName, runId, 0, 0));
    }

    public JobProgressSnapshot? Snapshot => _jobName is null ? null : new JobProgressSnapshot(_jobName, _runId, Volatile.Read(ref _claimed), Volatile.Read(ref _done));

    public void Claimed(int count)
    {
        Interlocked.Add(ref _claimed, count);
        Publish();
    }

    public void Completed()
    {
        Interlocked.Increment(ref _done);
        Publish();
    }

    internal void End()
    {
        if (_jobName is not null) hub.End(_jobName, _runId);
    }

    private void Publish()
    {
        if (Snapshot is not { } snapshot) return;
        hub.Report(snapshot);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastWrite < WriteEvery) return;
            _lastWrite = now;
        }
        // One write at a time, off the job's path: the page of another instance reads these counts.
        if (Interlocked.Exchange(ref _writing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var s = Snapshot!;
                await db.Set<JobRun>().Where(r => r.Id == s.RunId && r.Outcome == JobRunOutcome.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.ItemsClaimed, s.Claimed).SetProperty(r => r.ItemsDone, s.Done));
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Progress of job run {JobRunId} not written", _runId);
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        });
    }
}
