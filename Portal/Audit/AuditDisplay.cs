using System.Globalization;
using System.Text.Json;
using Portal.Domain.Money;

namespace Portal.Audit;

/// <summary>How audit values are shown: amounts in their currency's minor units, JSON indented.</summary>
public static class AuditDisplay
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>"12.50 EUR" from 1250 minor units; exact (decimal arithmetic), formatted in <paramref name="culture"/>.</summary>
    public static string Amount(long? minorUnits, string? currency, CultureInfo culture)
    {
        if (minorUnits is not { } minor)
            return "–";
        // The domain's one currency table; an unknown code (not expected in the log) shows 2 decimals.
        var exponent = Currency.TryParse(currency, out var known) ? known.Exponent : 2;
        var value = minor / (decimal)Math.Pow(10, exponent);
        var text = value.ToString("N" + exponent.ToString(CultureInfo.InvariantCulture), culture);
        return string.IsNullOrEmpty(currency) ? text : text + " " + currency.ToUpperInvariant();
    }

    /// <summary>Indented JSON for reading; text that is not JSON is shown as it is.</summary>
    public static string PrettyJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return "";
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
