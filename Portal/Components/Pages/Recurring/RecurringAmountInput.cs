using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>An amount typed in major units (12.50) turned into minor units exactly, or the message a form shows.</summary>
public static class RecurringAmountInput
{
    public static bool TryConvert(decimal? value, string currencyCode, out long minor, out string? error)
    {
        minor = 0;
        error = null;
        if (!Currency.TryParse(currencyCode, out var currency))
        {
            error = $"'{currencyCode}' is not a known currency.";
            return false;
        }
        if (value is not { } amount)
        {
            error = "Enter the amount to charge each cycle.";
            return false;
        }
        if (amount <= 0)
        {
            error = "The amount must be more than 0.";
            return false;
        }
        try
        {
            minor = Money.FromDecimal(amount, currency).Minor;
        }
        catch (AmountPrecisionException)
        {
            error = currency.Exponent == 0
                ? $"{currency.Code} has no minor units: enter a whole amount."
                : $"{currency.Code} has {currency.Exponent} decimals: enter at most {currency.Exponent} digits after the point.";
            return false;
        }
        catch (DomainException)
        {
            error = "The amount is too large.";
            return false;
        }
        if (minor > RecurringScheduleService.MaxAmountMinor)
        {
            error = $"The amount must be at most {new Money(RecurringScheduleService.MaxAmountMinor, currency)}.";
            return false;
        }
        return true;
    }

    /// <summary>The major-unit value of minor units, for a numeric field's starting value.</summary>
    public static decimal ToDecimal(long minor, string currencyCode) =>
        Currency.TryParse(currencyCode, out var currency) ? new Money(minor, currency).ToDecimal() : minor;
}
