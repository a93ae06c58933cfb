using System.Globalization;
using Portal.Domain;
using Portal.Domain.Money;
using M = Portal.Domain.Money.Money;

namespace Portal.Tests.Domain.Money;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("9.99", "USD", 999)]
    [InlineData("9.90", "USD", 990)]
    [InlineData("9.9", "USD", 990)]
    [InlineData("0.01", "EUR", 1)]
    [InlineData("100", "JPY", 100)]
    [InlineData("100.000", "JPY", 100)]
    [InlineData("1.234", "BHD", 1234)]
    [InlineData("1500.5", "HUF", 150050)]
    [InlineData("-12.40", "EUR", -1240)]
    public void FromDecimal_DigitsWithinExponent_ConvertsExactly(string amount, string currency, long minor)
    {
        var money = M.FromDecimal(decimal.Parse(amount, CultureInfo.InvariantCulture), Currency.Parse(currency));

        Assert.Equal(minor, money.Minor);
    }

    [Theory]
    [InlineData("9.999", "USD")]
    [InlineData("0.001", "EUR")]
    [InlineData("100.5", "JPY")]
    [InlineData("1.2345", "BHD")]
    public void FromDecimal_MoreDigitsThanExponent_Throws(string amount, string currency)
    {
        var e = Assert.Throws<AmountPrecisionException>(() =>
            M.FromDecimal(decimal.Parse(amount, CultureInfo.InvariantCulture), Currency.Parse(currency)));

        Assert.Contains(currency, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDecimal_BeyondLongRange_ThrowsDomainException() =>
        Assert.Throws<DomainException>(() => M.FromDecimal(decimal.MaxValue / 10, Currency.EUR));

    [Theory]
    [InlineData(1240, "EUR", "12.40")]
    [InlineData(-1240, "EUR", "-12.40")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(1240, "JPY", "1240")]
    [InlineData(1240, "BHD", "1.240")]
    [InlineData(0, "HUF", "0.00")]
    public void ToInvariantString_UsesCurrencyExponent(long minor, string currency, string expected) =>
        Assert.Equal(expected, new M(minor, Currency.Parse(currency)).ToInvariantString());

    [Theory]
    [InlineData(999, "USD")]
    [InlineData(1, "BHD")]
    [InlineData(-77, "JPY")]
    [InlineData(long.MaxValue, "EUR")]
    [InlineData(long.MinValue, "EUR")]
    public void ToDecimal_FromDecimal_RoundTrips(long minor, string currency)
    {
        var money = new M(minor, Currency.Parse(currency));

        Assert.Equal(money, M.FromDecimal(money.ToDecimal(), money.Currency));
    }

    [Fact]
    public void Arithmetic_SameCurrency_AddsAndSubtractsMinorUnits()
    {
        var a = new M(1000, Currency.EUR);
        var b = new M(250, Currency.EUR);

        Assert.Equal(new M(1250, Currency.EUR), a + b);
        Assert.Equal(new M(750, Currency.EUR), a - b);
        Assert.True(a > b);
        Assert.True(b <= a);
    }

    [Fact]
    public void Arithmetic_AcrossCurrencies_Throws()
    {
        var eur = new M(1000, Currency.EUR);
        var usd = new M(1000, Currency.USD);

        Assert.Throws<CurrencyMismatchException>(() => eur + usd);
        Assert.Throws<CurrencyMismatchException>(() => eur - usd);
        Assert.Throws<CurrencyMismatchException>(() => eur < usd);
        Assert.Throws<CurrencyMismatchException>(() => eur.CompareTo(usd));
    }

    [Fact]
    public void Equality_AcrossCurrencies_IsFalseNotAnError() =>
        Assert.NotEqual(new M(1000, Currency.EUR), new M(1000, Currency.USD));

    [Fact]
    public void Add_Overflow_ThrowsInsteadOfWrapping() =>
        Assert.Throws<OverflowException>(() => new M(long.MaxValue, Currency.EUR) + new M(1, Currency.EUR));

    [Theory]
    [InlineData("en-US", 1240, "USD", "$12.40")]
    [InlineData("en-US", 1240, "EUR", "EUR 12.40")]
    [InlineData("en-US", 123456, "JPY", "JPY 123,456")]
    [InlineData("en-US", 1240, "BHD", "BHD 1.240")]
    [InlineData("de-DE", 123456, "EUR", "1.234,56 €")]
    [InlineData("de-DE", 1240, "USD", "12,40 USD")]
    [InlineData("hu-HU", 150050, "HUF", "1 500,50 Ft")]
    [InlineData("ja-JP", 1240, "JPY", "￥1,240")]
    public void Format_UsesCultureSeparatorsAndCurrencyExponent(string culture, long minor, string currency, string expected)
    {
        var text = new M(minor, Currency.Parse(currency)).Format(CultureInfo.GetCultureInfo(culture));

        Assert.Equal(expected, Normalize(text));
    }

    [Fact]
    public void Format_Negative_KeepsSignAndCode()
    {
        var text = Normalize(new M(-1240, Currency.EUR).Format(CultureInfo.GetCultureInfo("en-US")));

        Assert.Contains("EUR", text, StringComparison.Ordinal);
        Assert.Contains("12.40", text, StringComparison.Ordinal);
        Assert.Contains("-", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_InvariantCulture_UsesIsoCode() =>
        Assert.Equal("EUR 12.40", Normalize(new M(1240, Currency.EUR).Format(CultureInfo.InvariantCulture)));

    // ICU uses narrow/non-breaking spaces between digits and symbol; the layout is what matters here.
    private static string Normalize(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');
}
