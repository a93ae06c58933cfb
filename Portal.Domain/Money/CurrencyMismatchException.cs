namespace Portal.Domain.Money;

/// <summary>Arithmetic or comparison across two currencies: there is no meaningful answer without an exchange rate.</summary>
public sealed class CurrencyMismatchException(Currency left, Currency right)
    : DomainException($"Cannot combine amounts in {left.Code} and {right.Code}.")
{
    public Currency Left { get; } = left;

    public Currency Right { get; } = right;
}
