using System.Text.Json.Nodes;
using Portal.Domain.Webhooks;

namespace Portal.Tests.Domain.Webhooks;

public sealed class PayloadMaskerTests
{
    [Fact]
    public void Mask_FullCardNumberAnywhere_KeepsFirst6Last4()
    {
        var masked = PayloadMasker.Mask(JsonNode.Parse("""{"a":{"b":["x","4111 1111 1111 1111"]},"note":"card 5555555555554444 used"}"""));
        Assert.DoesNotContain("4111 1111 1111 1111", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("5555555555554444", masked, StringComparison.Ordinal);
        Assert.Contains("411111******1111", masked, StringComparison.Ordinal);
        Assert.Contains("card 555555******4444 used", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_SecretsAndIban_Replaced()
    {
        var masked = PayloadMasker.Mask(JsonNode.Parse(
            """{"credit_card":{"token":"40bd0015","verification_value":"123"},"directDebit":{"accountIban":"DE89 3704 0044 0532 0130 00"}}"""));
        Assert.DoesNotContain("40bd0015", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("\"123\"", masked, StringComparison.Ordinal);
        Assert.Contains("DE****************3000", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_LongIdsThatAreNotCards_Untouched()
    {
        // 16 digits but not Luhn-valid: an order reference, not a card.
        var masked = PayloadMasker.Mask(JsonNode.Parse("""{"MerchantReferenceCode":"0123456789098761","phone":"36301234567"}"""));
        Assert.Contains("0123456789098761", masked, StringComparison.Ordinal);
        Assert.Contains("36301234567", masked, StringComparison.Ordinal);
    }
}
