using System.Diagnostics.CodeAnalysis;

namespace Portal.Domain.Money;

/// <summary>
/// An ISO 4217 currency and its minor-unit exponent. Instances come only from the table in
/// <see cref="CurrencyTable"/>, so an amount's meaning (how many minor units make one unit) can
/// never be guessed: an unknown code is refused instead.
/// </summary>
public sealed class Currency : IEquatable<Currency>
{
    internal Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    /// <summary>Upper-case three-letter ISO 4217 code, e.g. <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>Number of decimal places of the minor unit: 2 for EUR and HUF, 0 for JPY, 3 for BHD.</summary>
    public int Exponent { get; }

    /// <summary>10^Exponent: how many minor units make one major unit.</summary>
    public long MinorPerMajor => Exponent switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => (long)Math.Pow(10, Exponent) };

    public static Currency EUR => CurrencyTable.Get("EUR");
    public static Currency USD => CurrencyTable.Get("USD");
    public static Currency GBP => CurrencyTable.Get("GBP");
    public static Currency HUF => CurrencyTable.Get("HUF");
    public static Currency CHF => CurrencyTable.Get("CHF");
    public static Currency PLN => CurrencyTable.Get("PLN");
    public static Currency JPY => CurrencyTable.Get("JPY");
    public static Currency BHD => CurrencyTable.Get("BHD");

    /// <summary>Every known currency, ordered by code.</summary>
    public static IReadOnlyList<Currency> All => CurrencyTable.All;

    /// <summary>Accepts any letter case ("huf" from the contact-centre callback) and surrounding spaces.</summary>
    /// <exception cref="UnknownCurrencyException">The code is empty or not in the table.</exception>
    public static Currency Parse(string? code) =>
        TryParse(code, out var currency) ? currency : throw new UnknownCurrencyException(code);

    public static bool TryParse(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        currency = null;
        if (string.IsNullOrWhiteSpace(code)) return false;
        return CurrencyTable.TryGet(code.Trim().ToUpperInvariant(), out currency);
    }

    public bool Equals(Currency? other) => other is not null && string.Equals(Code, other.Code, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Currency other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    public static bool operator ==(Currency? left, Currency? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Currency? left, Currency? right) => !(left == right);

    public override string ToString() => Code;
}
