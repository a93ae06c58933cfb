namespace Portal.Dashboard;

/// <summary>
/// "Today" and day boundaries for the dashboard: the user's local day when their time zone is
/// known, otherwise the UTC day (and the page says so). Boundaries are UTC instants, so queries
/// compare stored UTC times against them and days with a DST change come out right.
/// </summary>
public sealed class DashboardCalendar
{
    private readonly Func<DateTime, DateTime> _toLocal;

    private DashboardCalendar(DateTime nowUtc, Func<DateTime, DateTime> toLocal, bool isLocal, string zoneName)
    {
        NowUtc = nowUtc;
        _toLocal = toLocal;
        IsLocal = isLocal;
        ZoneName = zoneName;
        Today = DateOnly.FromDateTime(toLocal(nowUtc));
    }

    /// <summary>The clock's now, in UTC.</summary>
    public DateTime NowUtc { get; }

    public DateOnly Today { get; }

    /// <summary>True when days are the user's local days; false when they are UTC days because the zone is not known.</summary>
    public bool IsLocal { get; }

    public string ZoneName { get; }

    public static DashboardCalendar Utc(TimeProvider clock) =>
        new(clock.GetUtcNow().UtcDateTime, static utc => utc, false, "UTC");

    public static DashboardCalendar For(TimeProvider clock, TimeZoneInfo zone) =>
        new(clock.GetUtcNow().UtcDateTime, utc => TimeZoneInfo.ConvertTimeFromUtc(utc, zone), true, zone.Id);

    /// <summary>From a UTC-to-local conversion only (what the browser's zone service offers).</summary>
    public static DashboardCalendar For(TimeProvider clock, Func<DateTime, DateTime> toLocal, string zoneName = "local time") =>
        new(clock.GetUtcNow().UtcDateTime, toLocal, true, zoneName);

    /// <summary>The UTC instant at which the local <paramref name="day"/> begins.</summary>
    public DateTime StartUtc(DateOnly day)
    {
        var target = day.ToDateTime(TimeOnly.MinValue);
        // Start from today's offset, then correct by the offset at the guess (converges in one or two steps, also across DST).
        var offset = _toLocal(NowUtc) - NowUtc;
        var guess = DateTime.SpecifyKind(target - offset, DateTimeKind.Utc);
        for (var i = 0; i < 4; i++)
        {
            var error = _toLocal(guess) - target;
            if (error == TimeSpan.Zero) break;
            guess -= error;
        }
        return guess;
    }

    public DateTime EndUtc(DateOnly day) => StartUtc(day.AddDays(1));

    public DateTime ToLocal(DateTime utc) => _toLocal(utc);
}
