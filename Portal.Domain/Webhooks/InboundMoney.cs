using Portal.Domain.Money;

namespace Portal.Domain.Webhooks;

/// <summary>Currency and amount checks shared by the inbound parsers.</summary>
internal static class InboundMoney
{
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
