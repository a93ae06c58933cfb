using System.Globalization;
using System.Text.Json;

namespace Portal.Audit;

/// <summary>How audit values are shown: amounts in their currency's minor units, JSON indented.</summary>
public static class AuditDisplay
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>ISO 4217 currencies whose minor unit is not 2 digits (the rest use 2).</summary>
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    /// <summary>"12.50 EUR" from 1250 minor units; exact (decimal arithmetic), formatted in <paramref name="culture"/>.</summary>
    public static string Amount(long? minorUnits, string? currency, CultureInfo culture)
    {
        if (minorUnits is not { } minor)
            return "–";
        var exponent = currency is null ? 2 : Exponents.GetValueOrDefault(currency, 2);
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
