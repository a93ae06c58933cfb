using System.Globalization;

namespace Portal.Domain.Money;

/// <summary>
/// An amount as an exact count of minor units of one currency. Floating point never touches
/// money; arithmetic and ordering across currencies throw rather than silently mixing them;
/// sums are checked so an overflow throws instead of wrapping.
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    private readonly Currency? _currency;

    public Money(long minor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        Minor = minor;
        _currency = currency;
    }

    /// <summary>Amount in minor units (cents; whole units for a zero-exponent currency).</summary>
    public long Minor { get; }

    public Currency Currency => _currency ?? throw new InvalidOperationException("A default Money has no currency; create it with a currency.");

    public static Money Zero(Currency currency) => new(0, currency);

    /// <summary>
    /// Converts a gateway's decimal (9.99) exactly. More fractional digits than the currency has
    /// are refused, never rounded: a rounding at the edge would make the books disagree with the gateway.
    /// </summary>
    /// <exception cref="AmountPrecisionException">The amount has more decimals than the currency's exponent.</exception>
    /// <exception cref="DomainException">The amount does not fit in a 64-bit count of minor units.</exception>
    public static Money FromDecimal(decimal amount, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        decimal scaled;
        try
        {
            scaled = amount * currency.MinorPerMajor;
        }
        catch (OverflowException e)
        {
            throw new DomainException($"The amount {amount.ToString(CultureInfo.InvariantCulture)} {currency.Code} is too large.", e);
        }
        if (scaled != decimal.Truncate(scaled)) throw new AmountPrecisionException(amount, currency);
        if (scaled is > long.MaxValue or < long.MinValue)
            throw new DomainException($"The amount {amount.ToString(CultureInfo.InvariantCulture)} {currency.Code} is too large.");
        return new Money((long)scaled, currency);
    }

    /// <summary>The exact major-unit value, with as many decimals as the currency's exponent.</summary>
    public decimal ToDecimal()
    {
        ulong magnitude = Minor < 0 ? (ulong)(-(Minor + 1)) + 1 : (ulong)Minor;
        return new decimal((int)(magnitude & 0xFFFFFFFF), (int)(magnitude >> 32), 0, Minor < 0, (byte)Currency.Exponent);
    }

    /// <summary>Machine format for CSV and APIs: invariant culture, the currency's decimals, no symbol ("12.40", "1240", "1.240").</summary>
    public string ToInvariantString() => ToDecimal().ToString("F" + Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Human format in the reader's culture; see <see cref="MoneyFormatter"/>.</summary>
    public string Format(IFormatProvider? culture) => MoneyFormatter.Format(this, culture);

    public Money Negate() => new(checked(-Minor), Currency);

    public static Money operator +(Money left, Money right) => new(checked(left.Minor + SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money left, Money right) => new(checked(left.Minor - SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money value) => value.Negate();

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    public static bool operator ==(Money left, Money right) => left.Equals(right);

    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <exception cref="CurrencyMismatchException">The two amounts are in different currencies.</exception>
    public int CompareTo(Money other) => Minor.CompareTo(SameCurrency(this, other).Minor);

    /// <summary>Equality never throws: 10 EUR is simply not equal to 10 USD.</summary>
    public bool Equals(Money other) => Minor == other.Minor && _currency == other._currency;

    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Minor, _currency);

    public override string ToString() => _currency is null ? "0 (no currency)" : ToInvariantString() + " " + Currency.Code;

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency ? right : throw new CurrencyMismatchException(left.Currency, right.Currency);
}
