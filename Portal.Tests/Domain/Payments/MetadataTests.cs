using Portal.Domain;
using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

public sealed class MetadataTests
{
    private static IEnumerable<KeyValuePair<string, string>> Entries(int count, int keyLength = 5, int valueLength = 5) =>
        Enumerable.Range(0, count).Select(i => KeyValuePair.Create(i.ToString("00", null).PadLeft(keyLength, 'k'), new string('v', valueLength)));

    [Fact]
    public void From_AtTheLimits_IsAccepted()
    {
        var metadata = PaymentMetadata.From(Entries(10, keyLength: 40, valueLength: 400));

        Assert.Equal(10, metadata.Count);
    }

    [Fact]
    public void From_ElevenKeys_IsRefusedNamingTheLimit()
    {
        var e = Assert.Throws<MetadataLimitException>(() => PaymentMetadata.From(Entries(11)));

        Assert.IsAssignableFrom<DomainException>(e);
        Assert.Contains("11 keys; the limit is 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_FortyOneCharacterKey_IsRefusedNamingTheLimit()
    {
        var e = Assert.Throws<MetadataLimitException>(() => PaymentMetadata.From(Entries(1, keyLength: 41)));

        Assert.Contains("41 characters long; the limit is 40", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_FourHundredOneCharacterValue_IsRefusedNamingKeyAndLimit()
    {
        var e = Assert.Throws<MetadataLimitException>(() => PaymentMetadata.From([KeyValuePair.Create("note", new string('x', 401))]));

        Assert.Contains("'note' is 401 characters long; the limit is 400", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_EmptyKey_IsRefused() =>
        Assert.Throws<MetadataLimitException>(() => PaymentMetadata.From([KeyValuePair.Create(" ", "x")]));

    [Fact]
    public void Payment_CreateAndReplace_EnforceTheLimits()
    {
        Assert.Throws<MetadataLimitException>(() =>
            PaymentBuilder.APayment().With(p => p with { Metadata = Entries(11).ToList() }).Build());

        var payment = PaymentBuilder.APayment().WithMetadata(("order", "A-1")).Build();
        Assert.Throws<MetadataLimitException>(() => payment.ReplaceMetadata(Entries(11), PaymentBuilder.T0));
        Assert.Equal("A-1", payment.Metadata["order"]);
    }

    [Fact]
    public void Json_RoundTrips_AndIsIndependentOfInsertionOrder()
    {
        var a = PaymentMetadata.From([KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "ü \"quoted\"")]);
        var b = PaymentMetadata.From([KeyValuePair.Create("a", "ü \"quoted\""), KeyValuePair.Create("b", "2")]);

        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.Equal(a, b);
        Assert.Equal("ü \"quoted\"", PaymentMetadata.FromStoredJson(a.ToJson())["a"]);
    }
}
