using System.Globalization;

namespace Portal.Gateways;

/// <summary>
/// ISO 4217 minor-unit exponents, for gateways that speak decimal amounts (VCC's "12.40").
/// Conversions are exact: a decimal with more digits than the exponent is rejected.
/// </summary>
public static class CurrencyExponents
{
    private static readonly HashSet<string> Zero = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> Three = new(StringComparer.Ordinal)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    private static readonly HashSet<string> Four = new(StringComparer.Ordinal) { "CLF", "UYW" };

    /// <summary>Digits after the decimal point for an ISO 4217 code (2 unless listed otherwise).</summary>
    public static int Of(string currency)
    {
        var code = currency.ToUpperInvariant();
        if (Zero.Contains(code))
            return 0;
        if (Three.Contains(code))
            return 3;
        return Four.Contains(code) ? 4 : 2;
    }

    /// <summary>Minor units as an invariant decimal string with exactly the currency's digits: 1240 GBP → "12.40", 1240 JPY → "1240".</summary>
    public static string FormatDecimal(long amountMinor, string currency)
    {
        var exponent = Of(currency);
        var value = amountMinor / (decimal)Pow10(exponent);
        return value.ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Parses an invariant decimal string into minor units; false when it is not a number or carries more digits than the exponent.</summary>
    public static bool TryParseDecimal(string? text, string currency, out long amountMinor)
    {
        amountMinor = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        var scaled = value * Pow10(Of(currency));
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue)
            return false;
        amountMinor = (long)scaled;
        return true;
    }

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
            result *= 10;
        return result;
    }
}
