using System.Globalization;
using Portal.Domain;
using Portal.Domain.Money;

namespace Portal.Gateways;

/// <summary>
/// Decimal amount strings for gateways that speak them (VCC's "12.40"), on top of the domain's
/// one currency table (<see cref="Currency"/>) and its exact conversion (<see cref="Money.FromDecimal"/>).
/// </summary>
public static class CurrencyExponents
{
    /// <summary>Minor units as an invariant decimal string with exactly the currency's digits: 1240 GBP → "12.40", 1240 JPY → "1240".</summary>
    public static string FormatDecimal(long amountMinor, string currency) =>
        new Money(amountMinor, Currency.Parse(currency)).ToInvariantString();

    /// <summary>Parses an invariant decimal string into minor units; false when it is not a number, the currency is unknown, or it carries more digits than the exponent.</summary>
    public static bool TryParseDecimal(string? text, string currency, out long amountMinor)
    {
        amountMinor = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !Currency.TryParse(currency, out var parsed))
            return false;
        try
        {
            amountMinor = Money.FromDecimal(value, parsed).Minor;
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }
}
