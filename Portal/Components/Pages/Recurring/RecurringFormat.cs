using System.Globalization;
using Portal.Domain.Money;

namespace Portal.Components.Pages.Recurring;

/// <summary>Money and dates as the recurring pages show them.</summary>
public static class RecurringFormat
{
    public static string Money(long minor, string currency) =>
        Currency.TryParse(currency, out var c) ? new Money(minor, c).Format(CultureInfo.CurrentCulture) : $"{minor} {currency} (minor units)";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
