using Portal.Domain.Payments;

namespace Portal.Tests.Domain.Payments;

public sealed class SensitiveDataTests
{
    [Theory]
    [InlineData("4111111111111111", "411111******1111")]
    [InlineData("4111 1111 1111 1111", "411111******1111")]
    [InlineData("4111-1111-1111-1111", "411111******1111")]
    [InlineData("378282246310005", "378282*****0005")]
    [InlineData("6011000990139424123", "601100*********4123")]
    public void CardCreate_FullPan_IsMaskedToFirstSixLastFour(string pan, string masked)
    {
        var card = CardDetails.Create(pan, brand: "Visa", expirationMonth: 12, expirationYear: 2030);

        Assert.Equal(masked, card.MaskedPan);
        Assert.Equal(pan[^4..], card.Last4);
        Assert.DoesNotContain(pan.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)[6..12], card.MaskedPan!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("411111******1111", "411111******1111")]
    [InlineData("************1111", "************1111")]
    [InlineData("XXXX XXXX XXXX 4242", "************4242")]
    [InlineData("41111111111*1111", "411111******1111")] // masked too little by the sender: re-masked
    public void CardCreate_MaskedPan_IsKeptOrMaskedFurther(string pan, string masked) =>
        Assert.Equal(masked, CardDetails.Create(pan).MaskedPan);

    [Theory]
    [InlineData("12345")]
    [InlineData("41111111111")]
    [InlineData("41111111111111111111")]
    [InlineData("4111111111111abc")]
    [InlineData("411111******111*")]
    public void CardCreate_UnrecognisablePan_IsRefused(string pan) =>
        Assert.Throws<CardDataException>(() => CardDetails.Create(pan));

    [Fact]
    public void CardCreate_OnlyLast4_IsEnough()
    {
        var card = CardDetails.Create(null, last4: "4242", brand: "Mastercard", expirationMonth: 3, expirationYear: 27);

        Assert.Null(card.MaskedPan);
        Assert.Equal("4242", card.Last4);
        Assert.Equal(2027, card.ExpirationYear);
        Assert.Equal("03/27", card.Expiration);
    }

    [Theory]
    [InlineData(0, 2030)]
    [InlineData(13, 2030)]
    [InlineData(1, 1999)]
    public void CardCreate_ImpossibleExpiry_IsRefused(int month, int year) =>
        Assert.Throws<CardDataException>(() => CardDetails.Create(null, last4: "4242", expirationMonth: month, expirationYear: year));

    [Fact]
    public void CardCreate_NeitherPanNorLast4_IsRefused() =>
        Assert.Throws<CardDataException>(() => CardDetails.Create(null, brand: "Visa"));

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00", "DE89**************3000")]
    [InlineData("de89370400440532013000", "DE89**************3000")]
    [InlineData("DE89 **** **** **** **30 00", "DE89**************3000")]
    [InlineData("NO9386011117947", "NO93*******7947")]
    public void DirectDebitCreate_Iban_IsMasked(string iban, string masked) =>
        Assert.Equal(masked, DirectDebitDetails.Create(iban, "acc_1", "COBADEFFXXX").MaskedIban);

    [Fact]
    public void DirectDebitCreate_TooShort_IsRefused() =>
        Assert.Throws<CardDataException>(() => DirectDebitDetails.Create("DE8"));

    [Fact]
    public void ProtectedToken_LookingLikeAPan_IsRefused()
    {
        var payment = Builders.PaymentBuilder.APayment().WithLine(100).WithTransaction().Build();

        Assert.Throws<CardDataException>(() => payment.Transactions[0].StoreProtectedCardToken("4111111111111111", "test", Builders.PaymentBuilder.T0));
        Assert.Null(payment.Transactions[0].CardTokenProtected);
    }

    [Fact]
    public void AttachCard_CopiesLast4ToTheSearchColumn()
    {
        var payment = Builders.PaymentBuilder.APayment().WithLine(100).WithTransaction().Build();

        payment.Transactions[0].AttachCard(CardDetails.Create("5555555555554444"), "test", Builders.PaymentBuilder.T0);

        Assert.Equal("4444", payment.Transactions[0].CardLast4);
    }
}
