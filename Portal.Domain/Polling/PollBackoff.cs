namespace Portal.Domain.Polling;

/// <summary>
/// How long the status poller waits before asking about the same open attempt again: 1 min
/// after the first ask, then 5 min, 15 min, 1 h, and hourly after that. A stuck attempt thus
/// costs at most one gateway query an hour and never holds back the others in its batch.
/// </summary>
public static class PollBackoff
{
    public static IReadOnlyList<TimeSpan> Schedule { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)];

    /// <param name="attempt">The attempt being made now, from 1 (the first ask).</param>
    /// <returns>The wait after that attempt before the next one.</returns>
    public static TimeSpan After(int attempt) => Schedule[Math.Clamp(attempt, 1, Schedule.Count) - 1];
}
