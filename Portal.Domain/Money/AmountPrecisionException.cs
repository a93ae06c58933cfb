namespace Portal.Domain.Money;

/// <summary>
/// A decimal amount carries more fractional digits than its currency has minor units
/// (9.999 USD, 100.5 JPY). Rounding it would invent or lose money, so it is refused.
/// </summary>
public sealed class AmountPrecisionException(decimal amount, Currency currency)
    : DomainException($"The amount {amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} has more than {currency.Exponent} decimal place(s), which {currency.Code} does not allow.")
{
    public decimal Amount { get; } = amount;

    public Currency Currency { get; } = currency;
}
