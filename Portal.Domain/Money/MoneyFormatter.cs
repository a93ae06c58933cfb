using System.Globalization;

namespace Portal.Domain.Money;

/// <summary>
/// Formats money for people in their own culture without any symbol written in our code.
/// The digits, separators and symbol position come from the culture; the number of decimals
/// always comes from the currency (JPY has none even in en-US). When the culture's own
/// currency is the amount's currency, its symbol is used ("$12.40" in en-US); otherwise the
/// ISO code takes the symbol's place, separated by a space ("EUR 12.40", "12,40 USD"), so
/// no reader ever mistakes one dollar for another.
/// </summary>
internal static class MoneyFormatter
{
    public static string Format(Money money, IFormatProvider? provider)
    {
        var culture = provider as CultureInfo ?? CultureInfo.CurrentCulture;
        var source = NumberFormatInfo.GetInstance(provider ?? culture);
        var format = (NumberFormatInfo)source.Clone();
        format.CurrencyDecimalDigits = money.Currency.Exponent;
        if (!IsCultureCurrency(culture, money.Currency))
        {
            format.CurrencySymbol = money.Currency.Code;
            format.CurrencyPositivePattern = SpacedPositive(format.CurrencyPositivePattern);
            format.CurrencyNegativePattern = SpacedNegative(format.CurrencyNegativePattern);
        }
        return money.ToDecimal().ToString("C", format);
    }

    private static bool IsCultureCurrency(CultureInfo culture, Currency currency)
    {
        if (culture.IsNeutralCulture || string.IsNullOrEmpty(culture.Name)) return false;
        try
        {
            return string.Equals(new RegionInfo(culture.Name).ISOCurrencySymbol, currency.Code, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // A symbol such as "$" sits against the digits; a three-letter code needs a space.
    private static int SpacedPositive(int pattern) => pattern switch { 0 => 2, 1 => 3, _ => pattern };

    private static int SpacedNegative(int pattern) => pattern switch
    {
        0 => 14, 1 => 9, 2 => 12, 3 => 11, 4 => 15, 5 => 8, 6 => 13, 7 => 10, _ => pattern,
    };
}
