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

/// <summary>The card-number scanner every inbound text goes through.</summary>
public sealed class CardNumberScannerTests
{
    [Theory]
    [InlineData("4111111111111111", "411111******1111")]
    [InlineData("tx-4111111111111111-abc", "tx-411111******1111-abc")]
    [InlineData("4111111111111111@example.com", "411111******1111@example.com")]
    [InlineData("https://x.test/acs?pan=4111111111111111&y=1", "https://x.test/acs?pan=411111******1111&y=1")]
    [InlineData("card 4111 1111 1111 1111 used", "card 411111******1111 used")]
    [InlineData("4111-1111-1111-1111", "411111******1111")]
    [InlineData("378282246310005", "378282*****0005")] // 15 digits (Amex)
    [InlineData("4222222222222", "422222***2222")] // 13 digits
    [InlineData("6011000990139424124", "601100*********4124")] // 19 digits
    [InlineData("4111111111111111 12", "411111******1111 12")] // a short group after it does not hide it
    [InlineData("ref 2026 4111-1111-1111-1111", "ref 2026 411111******1111")] // nor one before it
    [InlineData("a4111111111111111b5555555555554444", "a411111******1111b555555******4444")]
    public void MaskText_LuhnValidRuns_FirstSixLastFour(string text, string masked)
    {
        Assert.Equal(masked, PayloadMasker.MaskText(text));
        Assert.True(PayloadMasker.ContainsCardNumber(text));
    }

    [Theory]
    [InlineData("4111111111111112")] // fails the Luhn check
    [InlineData("411111111111")] // 12 digits
    [InlineData("41111111111111111111")] // 20 digits in one run
    [InlineData("00000000000000000000000")] // a long zero run
    [InlineData("order 0123456789098761")] // 16 digits, not Luhn-valid
    [InlineData("+36 30 123 4567")]
    [InlineData("2026-12-07 05:41:44")]
    [InlineData("4111 1111 1111 111")] // 15 digits, not Luhn-valid
    [InlineData("4111  1111  1111  1111")] // double spaces are not one number
    public void MaskText_NotACardNumber_Untouched(string text)
    {
        Assert.Equal(text, PayloadMasker.MaskText(text));
        Assert.False(PayloadMasker.ContainsCardNumber(text));
    }

    [Fact]
    public void Scrub_CardNumberAsJsonNumberOrKey_MaskedString()
    {
        var scrubbed = PayloadMasker.Scrub(JsonNode.Parse("""{"pan_number":4111111111111111,"amount":100,"big":41111111111111111111,"5555555555554444":"k","list":[378282246310005]}"""))!;

        Assert.Equal("411111******1111", scrubbed["pan_number"]!.GetValue<string>());
        Assert.Equal(100, scrubbed["amount"]!.GetValue<int>());
        Assert.Equal("41111111111111111111", scrubbed["big"]!.ToJsonString());
        Assert.Equal("k", scrubbed["555555******4444"]!.GetValue<string>());
        Assert.Equal("378282*****0005", scrubbed["list"]![0]!.GetValue<string>());
        Assert.False(PayloadMasker.ContainsCardNumber(scrubbed.ToJsonString()));
    }

    [Theory]
    [InlineData("cvv")]
    [InlineData("CVV2")]
    [InlineData("card_cvv")]
    [InlineData("cvc_code")]
    [InlineData("cvn")]
    [InlineData("csc")]
    [InlineData("cvv_code")]
    [InlineData("cardCvc")]
    [InlineData("cid")]
    [InlineData("card_cid")]
    [InlineData("pin")]
    [InlineData("pinBlock")]
    [InlineData("track2")]
    [InlineData("track_data")]
    [InlineData("verification_value")]
    public void Scrub_SensitiveKeys_RemovedAtAnyDepth(string key)
    {
        var scrubbed = PayloadMasker.Scrub(JsonNode.Parse($$$"""{"{{{key}}}":"123","a":{"{{{key}}}":456,"keep":"x"},"b":[{"{{{key}}}":{"n":1}}]}"""))!;

        Assert.Equal("""{"a":{"keep":"x"},"b":[{}]}""", scrubbed.ToJsonString());
    }

    [Theory]
    [InlineData("incident_id")]
    [InlineData("shipping")]
    [InlineData("tracking_id")]
    [InlineData("descriptor")]
    [InlineData("orderId")]
    [InlineData("decided")]
    public void Scrub_OrdinaryKeysThatMerelyContainLetters_Kept(string key)
    {
        Assert.False(SensitiveKeys.Default.IsSensitive(key));
    }

    [Fact]
    public void SensitiveKeys_Configured_ReplaceTheBuiltInLists()
    {
        var keys = new SensitiveKeys(["secretsauce"], ["zip"]);

        Assert.True(keys.IsSensitive("my_secret_sauce"));
        Assert.True(keys.IsSensitive("billingZip"));
        Assert.False(keys.IsSensitive("cvv"));
    }
}
