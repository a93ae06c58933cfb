using System.Collections.Concurrent;

namespace Portal.Payments;

/// <summary>
/// Rows written so far by running CSV exports, keyed by a random id the page puts in the export
/// link, so the page can show real progress of the download it started (the download itself is
/// a plain GET the browser saves). Process-local: with several instances, the sticky session
/// that keeps a circuit on one instance also sends its download there.
/// </summary>
public sealed class ExportProgress(TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, ExportStatus> _exports = new(StringComparer.Ordinal);

    public static bool IsValidId(string? id) => id is { Length: >= 8 and <= 64 } && id.All(char.IsAsciiLetterOrDigit);

    internal ExportStatus Start(string id, string userId)
    {
        Sweep();
        var status = new ExportStatus(userId, clock.GetUtcNow().UtcDateTime);
        _exports[id] = status;
        return status;
    }

    /// <summary>The export's progress, only for the user who started it.</summary>
    public ExportSnapshot? Get(string id, string userId) =>
        _exports.TryGetValue(id, out var s) && s.UserId == userId ? s.Snapshot() : null;

    private void Sweep()
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - KeepFor;
        foreach (var (key, value) in _exports)
            if (value.StartedAtUtc < cutoff) _exports.TryRemove(key, out _);
    }
}

public sealed record ExportSnapshot(long Rows, bool Finished, string? Error);

internal sealed class ExportStatus(string userId, DateTime startedAtUtc)
{
    private long _rows;
    private volatile bool _finished;
    private volatile string? _error;

    public string UserId { get; } = userId;

    public DateTime StartedAtUtc { get; } = startedAtUtc;

    public void Wrote(long rows) => Interlocked.Exchange(ref _rows, rows);

    public void Finish(string? error = null)
    {
        _error = error;
        _finished = true;
    }

    public ExportSnapshot Snapshot() => new(Interlocked.Read(ref _rows), _finished, _error);
}
