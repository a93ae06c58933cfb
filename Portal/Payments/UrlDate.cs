using System.Globalization;

namespace Portal.Payments;

/// <summary>
/// A day in a page address ("2026-11-22"). Only days from <see cref="Earliest"/> to <see cref="Latest"/>
/// are taken: every date filter turns its days into UTC instants in the viewer's zone (and the day
/// after the last one), which would overflow at the ends of the calendar.
/// </summary>
public static class UrlDate
{
    public const string Format = "yyyy-MM-dd";
    public static readonly DateOnly Earliest = new(1970, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public static bool TryParse(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value?.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
        && day >= Earliest && day <= Latest;
}
