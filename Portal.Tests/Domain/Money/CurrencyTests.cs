using Portal.Domain;
using Portal.Domain.Money;

namespace Portal.Tests.Domain.Money;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("GBP", 2)]
    [InlineData("HUF", 2)]
    [InlineData("CHF", 2)]
    [InlineData("PLN", 2)]
    [InlineData("CZK", 2)]
    [InlineData("SEK", 2)]
    [InlineData("NOK", 2)]
    [InlineData("DKK", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("BHD", 3)]
    [InlineData("KWD", 3)]
    [InlineData("JOD", 3)]
    [InlineData("TND", 3)]
    public void Parse_KnownCode_HasIsoExponent(string code, int exponent)
    {
        var currency = Currency.Parse(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(exponent, currency.Exponent);
    }

    [Theory]
    [InlineData("huf")]
    [InlineData("Huf")]
    [InlineData(" HUF ")]
    public void Parse_AnyCaseAndSpaces_ReturnsSameCurrency(string code) =>
        Assert.Same(Currency.HUF, Currency.Parse(code));

    [Theory]
    [InlineData("XYZ")]
    [InlineData("EURO")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_UnknownCode_ThrowsDomainExceptionNamingTheCode(string? code)
    {
        var e = Assert.Throws<UnknownCurrencyException>(() => Currency.Parse(code));

        Assert.IsAssignableFrom<DomainException>(e);
        Assert.Contains($"'{code}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Unknown_ReturnsFalseWithoutThrowing()
    {
        Assert.False(Currency.TryParse("ABC", out var currency));
        Assert.Null(currency);
        Assert.True(Currency.TryParse("jpy", out var jpy));
        Assert.Equal(Currency.JPY, jpy);
    }

    [Fact]
    public void All_CodesAreUniqueThreeUpperCaseLetters()
    {
        Assert.Equal(Currency.All.Count, Currency.All.Select(c => c.Code).Distinct().Count());
        Assert.All(Currency.All, c => Assert.Matches("^[A-Z]{3}$", c.Code));
        Assert.All(Currency.All, c => Assert.InRange(c.Exponent, 0, 3));
    }
}
