namespace Portal.Domain.Polling;

/// <summary>Where a batch job reports how far it got (the Jobs page shows "done of claimed" while it runs).</summary>
public interface IBatchProgress
{
    /// <summary>More items were claimed by this run.</summary>
    void Claimed(int count);

    /// <summary>One more item was finished (whatever its outcome).</summary>
    void Completed();
}

/// <summary>Progress that goes nowhere (tests, the benchmark, callers outside a job run).</summary>
public sealed class NoBatchProgress : IBatchProgress
{
    public static NoBatchProgress Instance { get; } = new();

    public void Claimed(int count) { }

    public void Completed() { }
}
