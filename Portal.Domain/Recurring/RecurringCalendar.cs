namespace Portal.Domain.Recurring;

/// <summary>
/// The dates of a schedule. Cycle <c>n</c> (1-based) is always computed from the anchor (the start
/// date), never from the previous cycle's date, so month-end anchors hold: 31 Jan → 28/29 Feb →
/// 31 Mar → 30 Apr → 31 May, and 29 Feb (leap year) → 28 Feb → … → 29 Feb four years on.
/// </summary>
public static class RecurringCalendar
{
    /// <summary>Longest schedule the calendar computes (keeps date arithmetic in range).</summary>
    public const int MaxCycleNumber = 100_000;

    public static DateOnly DateOf(DateOnly anchor, RecurringIntervalUnit unit, int every, int cycleNumber)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "The interval must be at least 1.");
        if (cycleNumber is < 1 or > MaxCycleNumber) throw new ArgumentOutOfRangeException(nameof(cycleNumber));
        var steps = (cycleNumber - 1) * every;
        return unit switch
        {
            RecurringIntervalUnit.Day => anchor.AddDays(steps),
            RecurringIntervalUnit.Week => anchor.AddDays(steps * 7),
            // DateOnly.AddMonths/AddYears clamp to the month's last day; from the anchor each time, so 31 Jan + 2 months = 31 Mar.
            RecurringIntervalUnit.Month => anchor.AddMonths(steps),
            RecurringIntervalUnit.Year => anchor.AddYears(steps),
            _ => throw new ArgumentOutOfRangeException(nameof(unit)),
        };
    }

    /// <summary>When cycle <paramref name="cycleNumber"/> falls due: its date at midnight UTC.</summary>
    public static DateTime DueAtUtc(DateOnly anchor, RecurringIntervalUnit unit, int every, int cycleNumber) =>
        DateOf(anchor, unit, every, cycleNumber).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first cycle number whose date is on or after <paramref name="date"/>.</summary>
    public static int FirstCycleOnOrAfter(DateOnly anchor, RecurringIntervalUnit unit, int every, DateOnly date, int atLeast = 1)
    {
        var n = Math.Max(1, atLeast);
        // Jump close first (dates grow monotonically with n), then walk.
        if (date > anchor)
        {
            var days = date.DayNumber - anchor.DayNumber;
            var approxDays = unit switch
            {
                RecurringIntervalUnit.Day => every,
                RecurringIntervalUnit.Week => every * 7,
                RecurringIntervalUnit.Month => every * 31,
                _ => every * 366,
            };
            n = Math.Max(n, days / approxDays);
        }
        while (n < MaxCycleNumber && DateOf(anchor, unit, every, n) < date) n++;
        return n;
    }

    /// <summary>"every month", "every 2 weeks".</summary>
    public static string Describe(RecurringIntervalUnit unit, int every)
    {
        var name = unit.ToString().ToLowerInvariant();
        return every == 1 ? $"every {name}" : $"every {every} {name}s";
    }
}
