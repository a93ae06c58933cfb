using Portal.Domain.Money;

namespace Portal.Domain.Webhooks;

/// <summary>Currency and amount checks shared by the inbound parsers.</summary>
internal static class InboundMoney
{
    /// <summary>Largest amount any webhook may report, in minor units (10 000 000 000.00 of a 2-decimal currency).</summary>
    public const long MaxAmountMinor = 1_000_000_000_000;

    public static string? Currency(JsonFields fields, string? code, string path)
    {
        if (code is null) return null;
        if (!Money.Currency.TryParse(code, out var currency))
        {
            fields.Error($"{path} '{code}' is not a known ISO 4217 currency.");
            return null;
        }
        return currency.Code;
    }

    /// <summary>The amount if it is within <see cref="MaxAmountMinor"/>; otherwise an error naming the field and null.</summary>
    public static long? Bounded(JsonFields fields, long? amountMinor, string? currencyCode, string path)
    {
        if (amountMinor is not { } minor || minor <= MaxAmountMinor) return amountMinor;
        var limit = currencyCode is not null && Money.Currency.TryParse(currencyCode, out var currency)
            ? $"{new Money.Money(MaxAmountMinor, currency)} ({MaxAmountMinor} minor units)"
            : $"{MaxAmountMinor} minor units";
        fields.Error($"{path} must be at most {limit}.");
        return null;
    }

    /// <summary>A decimal amount converted exactly with the currency's exponent; more digits are refused.</summary>
    public static long? FromDecimal(JsonFields fields, decimal? amount, string? currencyCode, string path)
    {
        if (amount is null || currencyCode is null || !Money.Currency.TryParse(currencyCode, out var currency)) return null;
        try
        {
            return Money.Money.FromDecimal(amount.Value, currency).Minor;
        }
        catch (DomainException ex)
        {
            fields.Error($"{path}: {ex.Message}");
            return null;
        }
    }
}
