using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Domain.Webhooks;

namespace Portal.Tests.Domain.Webhooks;

public sealed class InboundParserTests
{
    internal static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Samples", name));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static JsonElement With(string sample, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(Sample(sample))!;
        change(node);
        return Json(node.ToJsonString());
    }

    [Fact]
    public void Vcc_SpecSample_MapsCallCardAndAmount()
    {
        var e = VccCallbackParser.Parse(Json(Sample("vcc-successful.json")));

        Assert.Equal(WebhookSource.Vcc, e.Source);
        Assert.Equal("431fba930c344aa0b6d64458824036d1", e.ExternalTransactionId);
        Assert.Equal(InboundStatus.Approved, e.Status);
        Assert.Equal(100000, e.AmountMinor);
        Assert.Equal("HUF", e.Currency);
        Assert.Equal("1234", e.Card!.Last4);
        Assert.Equal(16, e.Card.NumberLength);
        Assert.Equal((12, 2028), (e.Card.ExpiryMonth, e.Card.ExpiryYear));
        Assert.Equal("a7587a1a-2581-4dfe-b9eb-6a8ddb7caf0e", e.Call!.Uuid);
        Assert.Equal("elemer.erdosi", e.Call.AgentName);
        Assert.Equal(4, e.Call.ProjectId);
        Assert.True(e.Call.InCall);
        Assert.Equal(("Elemer", "Erdosi"), (e.Customer!.FirstName, e.Customer.LastName));
        Assert.Null(e.Customer.Email);
        Assert.Equal(new DateTime(2015, 11, 12, 9, 31, 48, DateTimeKind.Utc), e.OccurredAtUtc);
    }

    [Theory]
    [InlineData("successful", InboundStatus.Approved)]
    [InlineData("succesful", InboundStatus.Approved)]
    [InlineData("unsuccessful", InboundStatus.Declined)]
    [InlineData("unsuccesful", InboundStatus.Declined)]
    [InlineData("SUCCESSFUL", InboundStatus.Approved)]
    public void Vcc_BothSpellingsOfStatus_Accepted(string status, InboundStatus expected)
    {
        var e = VccCallbackParser.Parse(With("vcc-successful.json", n => n["payment"]!["status"] = status));
        Assert.Equal(expected, e.Status);
        Assert.Equal(status, e.ReportedStatus);
    }

    [Fact]
    public void Vcc_MissingFieldsAndWrongTypes_ListsEveryProblem()
    {
        var ex = Assert.Throws<InboundValidationException>(() => VccCallbackParser.Parse(With("vcc-successful.json", n =>
        {
            n["payment"]!["amount"] = "lots";
            n["payment"]!["currency"] = "xyz";
            n["payment"]!.AsObject().Remove("transactionid");
            n.AsObject().Remove("uuid");
        })));

        Assert.Contains(ex.Errors, m => m.Contains("payment.amount", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("'xyz' is not a known ISO 4217 currency", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("payment.transactionid is required", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("uuid is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Vcc_UnknownStatus_Refused()
    {
        var ex = Assert.Throws<InboundValidationException>(() =>
            VccCallbackParser.Parse(With("vcc-successful.json", n => n["payment"]!["status"] = "maybe")));
        Assert.Contains("payment.status 'maybe'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EComCharge_SpecSample_MapsApprovedWithCardAndTracking()
    {
        var e = EComChargeNotificationParser.Parse(Json(Sample("ecomcharge-successful.json")));

        Assert.Equal("4107-310b0da80b", e.ExternalTransactionId);
        Assert.Equal(InboundStatus.Approved, e.Status);
        Assert.Equal(100, e.AmountMinor);
        Assert.Equal("USD", e.Currency);
        Assert.Equal("your_uniq_number", e.MerchantReference);
        Assert.Equal(("visa", "0000", 5, 2030), (e.Card!.Brand, e.Card.Last4, e.Card.ExpiryMonth, e.Card.ExpiryYear));
        Assert.Equal("john@example.com", e.Customer!.Email);
    }

    [Theory]
    [InlineData("payment", "successful", InboundStatus.Approved)]
    [InlineData("payment", "failed", InboundStatus.Declined)]
    [InlineData("payment", "incomplete", InboundStatus.RequiresAction)]
    [InlineData("payment", "pending", InboundStatus.Pending)]
    [InlineData("refund", "successful", InboundStatus.Refunded)]
    public void EComCharge_Statuses_Mapped(string type, string status, InboundStatus expected)
    {
        var e = EComChargeNotificationParser.Parse(With("ecomcharge-successful.json", n =>
        {
            n["transaction"]!["type"] = type;
            n["transaction"]!["status"] = status;
            if (type == "refund") n["transaction"]!["parent_uid"] = "4107-0000000000";
        }));
        Assert.Equal(expected, e.Status);
    }

    [Fact]
    public void EComCharge_RefundWithoutParent_Refused()
    {
        var ex = Assert.Throws<InboundValidationException>(() => EComChargeNotificationParser.Parse(With("ecomcharge-successful.json",
            n => n["transaction"]!["type"] = "refund")));
        Assert.Contains("transaction.parent_uid is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CardGateway_SpecSample_ConvertsDecimalAmountExactly()
    {
        var e = CardGatewayCallbackParser.Parse(Json(Sample("cardgateway-success.json")));

        Assert.Equal("12345", e.ExternalTransactionId);
        Assert.Equal(InboundStatus.Approved, e.Status);
        Assert.Equal(999, e.AmountMinor);
        Assert.Equal("USD", e.Currency);
        Assert.Equal("235324530", e.MerchantReference);
        Assert.Equal("6348", e.Card!.Last4);
        Assert.Equal("402400****6348", e.Card.MaskedNumber);
        Assert.Equal(0, e.Subscription!.Cycle);
        Assert.Equal(new DateTime(2020, 4, 17, 13, 43, 2, DateTimeKind.Utc), e.Subscription.RenewalDateUtc);
        Assert.Equal("bar", e.Metadata["foo"]);
    }

    [Theory]
    [InlineData("9.999", "USD")]
    [InlineData("100.5", "JPY")]
    [InlineData("1.0001", "BHD")]
    public void CardGateway_AmountWithTooManyDecimals_Refused(string amount, string currency)
    {
        var ex = Assert.Throws<InboundValidationException>(() => CardGatewayCallbackParser.Parse(With("cardgateway-success.json", n =>
        {
            n["payment"]!["amount"] = JsonNode.Parse(amount);
            n["payment"]!["currency"] = currency;
        })));
        Assert.Contains("payment.amount", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100", "JPY", 100)]
    [InlineData("1.005", "BHD", 1005)]
    [InlineData("12.4", "GBP", 1240)]
    public void CardGateway_AmountWithinExponent_Accepted(string amount, string currency, long minor)
    {
        var e = CardGatewayCallbackParser.Parse(With("cardgateway-success.json", n =>
        {
            n["payment"]!["amount"] = JsonNode.Parse(amount);
            n["payment"]!["currency"] = currency;
        }));
        Assert.Equal(minor, e.AmountMinor);
    }

    [Fact]
    public void CardGateway_FullCardNumberInSource_IsMaskedNeverKept()
    {
        var e = CardGatewayCallbackParser.Parse(With("cardgateway-success.json", n => n["payment"]!["source"]!["number"] = "4111111111111111"));
        Assert.Equal("411111******1111", e.Card!.MaskedNumber);
        Assert.Equal("1111", e.Card.Last4);
    }

    [Fact]
    public void CardGateway_MetadataOverLimits_Refused()
    {
        var ex = Assert.Throws<InboundValidationException>(() => CardGatewayCallbackParser.Parse(With("cardgateway-success.json", n =>
        {
            var metadata = new JsonObject();
            for (var i = 0; i < 11; i++) metadata["k" + i] = "v";
            metadata[new string('k', 41)] = "v";
            metadata["long"] = new string('v', 401);
            n["metadata"] = metadata;
        })));
        Assert.Contains(ex.Errors, m => m.Contains("at most 10", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("longer than 40", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, m => m.Contains("longer than 400", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("{\"payment\": []}")]
    [InlineData("{\"payment\": {\"source\": 5}}")]
    public void AllParsers_WrongShapes_RefusedWithValidationError(string json)
    {
        Assert.Throws<InboundValidationException>(() => VccCallbackParser.Parse(Json(json)));
        Assert.Throws<InboundValidationException>(() => EComChargeNotificationParser.Parse(Json(json)));
        Assert.Throws<InboundValidationException>(() => CardGatewayCallbackParser.Parse(Json(json)));
    }
}
