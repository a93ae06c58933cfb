using System.Linq.Expressions;

namespace Portal.Domain.Polling;

/// <summary>
/// How long the status poller waits before asking about the same open attempt again: 1 min
/// after the first ask, then 5 min, 15 min, 1 h, and hourly after that. A stuck attempt thus
/// costs at most one gateway query an hour and never holds back the others in its batch.
/// The refund-verification job and the webhook retry use the same schedule.
/// </summary>
public static class PollBackoff
{
    public static IReadOnlyList<TimeSpan> Schedule { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)];

    /// <param name="attempt">The attempt being made now, from 1 (the first ask).</param>
    /// <returns>The wait after that attempt before the next one.</returns>
    public static TimeSpan After(int attempt) => Schedule[Math.Clamp(attempt, 1, Schedule.Count) - 1];

    /// <summary>
    /// The value a claim's conditional update gives the item's next-check column, computed in the
    /// database from the attempts made before this one (<paramref name="attemptsSoFar"/>):
    /// <c>attempts == 0 ? now + 1 min : attempts == 1 ? now + 5 min : … : now + 1 h</c>.
    /// The times are query parameters, not literals, so the plan is the same every round.
    /// </summary>
    public static Expression<Func<T, DateTime?>> NextCheckAfterClaim<T>(Expression<Func<T, int>> attemptsSoFar, DateTime now)
    {
        var attempts = attemptsSoFar.Body;
        Expression body = At(now + After(Schedule.Count));
        for (var made = Schedule.Count - 2; made >= 0; made--)
            body = Expression.Condition(Expression.Equal(attempts, Expression.Constant(made)), At(now + After(made + 1)), body);
        return Expression.Lambda<Func<T, DateTime?>>(body, attemptsSoFar.Parameters);
    }

    /// <summary>A captured value (like a closure's), which EF Core sends as a parameter.</summary>
    private static MemberExpression At(DateTime value) =>
        Expression.Property(Expression.Constant(new Captured(value)), nameof(Captured.Value));

    private sealed record Captured(DateTime? Value);
}
