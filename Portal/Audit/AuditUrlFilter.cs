using System.Globalization;
using Portal.Payments;

namespace Portal.Audit;

/// <summary>
/// The audit page's filters as they appear in the URL (so a view can be bookmarked):
/// <c>from</c>/<c>to</c> as local calendar days (yyyy-MM-dd, both inclusive), <c>actor</c>,
/// <c>action</c>, <c>resource</c>. Values that make no sense are dropped with a notice instead
/// of failing the page.
/// </summary>
public sealed record AuditUrlFilter(DateOnly? From, DateOnly? To, string? Actor, string? Action, string? Resource)
{
    public const string DateFormat = "yyyy-MM-dd";
    public const int MaxTextLength = 200;

    public static AuditUrlFilter Empty { get; } = new(null, null, null, null, null);

    /// <summary>Reads the raw query values; every value it cannot use is named in <paramref name="notices"/>.</summary>
    public static AuditUrlFilter Parse(string? from, string? to, string? actor, string? action, string? resource, out IReadOnlyList<string> notices)
    {
        var problems = new List<string>();
        var fromDate = ParseDate("from", from, problems);
        var toDate = ParseDate("to", to, problems);
        if (fromDate is { } f && toDate is { } t && f > t)
        {
            problems.Add($"The date range {f.ToString(DateFormat, CultureInfo.InvariantCulture)} to {t.ToString(DateFormat, CultureInfo.InvariantCulture)} ends before it starts, so it was ignored.");
            fromDate = toDate = null;
        }
        var filter = new AuditUrlFilter(fromDate, toDate,
            ParseText("actor", actor, problems), ParseText("action", action, problems), ParseText("resource", resource, problems));
        notices = problems;
        return filter;
    }

    /// <summary>The query-string values for this filter (null = leave the parameter out).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["from"] = From?.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["to"] = To?.ToString(DateFormat, CultureInfo.InvariantCulture),
        ["actor"] = Actor,
        ["action"] = Action,
        ["resource"] = Resource,
    };

    /// <summary>The database filter: whole local days in <paramref name="zone"/>, turned into a UTC range.</summary>
    public AuditFilter ToFilter(TimeZoneInfo zone) => new(
        From is { } f ? ToUtc(f, zone) : null,
        To is { } t ? ToUtc(t.AddDays(1), zone) : null,
        Actor, Action, Resource);

    public bool IsEmpty => this == Empty;

    private static DateTime ToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Midnight can fall in a daylight-saving gap; the first valid minute after it starts the day.
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static DateOnly? ParseDate(string name, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (UrlDate.TryParse(value, out var date))
            return date;
        problems.Add($"'{Shorten(value)}' in '{name}' is not a date like 2026-11-22 between {UrlDate.Earliest.ToString(DateFormat, CultureInfo.InvariantCulture)} and {UrlDate.Latest.ToString(DateFormat, CultureInfo.InvariantCulture)}, so it was ignored.");
        return null;
    }

    private static string? ParseText(string name, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = value.Trim();
        if (text.Length <= MaxTextLength && !text.Any(char.IsControl))
            return text;
        problems.Add($"The '{name}' filter is longer than {MaxTextLength} characters or contains control characters, so it was ignored.");
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
