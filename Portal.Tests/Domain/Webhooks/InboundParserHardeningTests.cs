using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;

namespace Portal.Tests.Domain.Webhooks;

/// <summary>Every field a parser reads is validated; amounts are bounded; ids that are card numbers are refused.</summary>
public sealed class InboundParserHardeningTests
{
    private static InboundPaymentEvent Parse(WebhookSource source, Action<JsonNode> change)
    {
        var sample = source switch
        {
            WebhookSource.Vcc => "vcc-successful.json",
            WebhookSource.EComCharge => "ecomcharge-successful.json",
            _ => "cardgateway-success.json",
        };
        var node = JsonNode.Parse(InboundParserTests.Sample(sample))!;
        change(node);
        using var document = JsonDocument.Parse(node.ToJsonString());
        return WebhookIngestion.Parse(source, document.RootElement.Clone());
    }

    private static InboundValidationException Refused(WebhookSource source, Action<JsonNode> change) =>
        Assert.Throws<InboundValidationException>(() => Parse(source, change));

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = parent[part] ??= new JsonObject();
        parent[parts[^1]] = value;
    }

    // ---- 4. one upper bound for amounts ----

    [Fact]
    public void AllParsers_AmountAtTheBound_Accepted()
    {
        var max = InboundMoney.MaxAmountMinor;
        Assert.Equal(max, Parse(WebhookSource.Vcc, n => n["payment"]!["amount"] = max).AmountMinor);
        Assert.Equal(max, Parse(WebhookSource.EComCharge, n => n["transaction"]!["amount"] = max).AmountMinor);
        var major = JsonNode.Parse((max / 100m).ToString("0.00", CultureInfo.InvariantCulture));
        Assert.Equal(max, Parse(WebhookSource.CardGateway, n => n["payment"]!["amount"] = major).AmountMinor);
    }

    [Theory]
    [InlineData(WebhookSource.Vcc, "payment.amount")]
    [InlineData(WebhookSource.EComCharge, "transaction.amount")]
    [InlineData(WebhookSource.CardGateway, "payment.amount")]
    public void AllParsers_AmountOverTheBound_RefusedNamingTheField(WebhookSource source, string path)
    {
        var over = InboundMoney.MaxAmountMinor + 1;
        JsonNode value = source == WebhookSource.CardGateway
            ? JsonNode.Parse((over / 100m).ToString("0.00", CultureInfo.InvariantCulture))!
            : JsonValue.Create(over);

        var ex = Refused(source, n => Set(n, path, value));

        Assert.Contains(ex.Errors, m => m.Contains(path, StringComparison.Ordinal) && m.Contains("at most", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("50000000000000000.00", "USD")]
    [InlineData("99999999999999999999999999", "JPY")]
    [InlineData("10000000000.01", "USD")]
    public void CardGateway_HugeAmounts_Refused(string amount, string currency)
    {
        var ex = Refused(WebhookSource.CardGateway, n =>
        {
            n["payment"]!["amount"] = JsonNode.Parse(amount);
            n["payment"]!["currency"] = currency;
        });
        Assert.Contains(ex.Errors, m => m.Contains("payment.amount", StringComparison.Ordinal));
    }

    // ---- 6. fields read after the check used to be ignored ----

    [Theory]
    [InlineData(WebhookSource.Vcc, "timestamp", "\"garbage\"")]
    [InlineData(WebhookSource.Vcc, "userid", "\"abc\"")]
    [InlineData(WebhookSource.Vcc, "projectid", "{}")]
    [InlineData(WebhookSource.Vcc, "in_call", "\"yes\"")]
    [InlineData(WebhookSource.Vcc, "username", "[]")]
    [InlineData(WebhookSource.Vcc, "payment.status_message", "{}")]
    [InlineData(WebhookSource.Vcc, "payment.token", "[]")]
    [InlineData(WebhookSource.Vcc, "payment.payment_gw", "{}")]
    [InlineData(WebhookSource.Vcc, "client_data.email", "\"not-an-email\"")]
    [InlineData(WebhookSource.Vcc, "client_data.phone1", "[]")]
    [InlineData(WebhookSource.Vcc, "client_data.merchant_reference_code", "{}")]
    [InlineData(WebhookSource.Vcc, "client_data.name", "[1]")]
    [InlineData(WebhookSource.EComCharge, "transaction.updated_at", "\"garbage\"")]
    [InlineData(WebhookSource.EComCharge, "transaction.created_at", "\"yesterday\"")]
    [InlineData(WebhookSource.EComCharge, "transaction.tracking_id", "{}")]
    [InlineData(WebhookSource.EComCharge, "transaction.message", "[]")]
    [InlineData(WebhookSource.EComCharge, "transaction.redirect_url", "{}")]
    [InlineData(WebhookSource.EComCharge, "transaction.credit_card.token", "{}")]
    [InlineData(WebhookSource.EComCharge, "transaction.credit_card.brand", "[]")]
    [InlineData(WebhookSource.EComCharge, "transaction.customer.email", "\"john.example.com\"")]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.first_name", "{}")]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.last_name", "[]")]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.phone", "{}")]
    [InlineData(WebhookSource.CardGateway, "payment.orderId", "{}")]
    [InlineData(WebhookSource.CardGateway, "payment.description", "[]")]
    [InlineData(WebhookSource.CardGateway, "payment.code", "{}")]
    [InlineData(WebhookSource.CardGateway, "payment.url", "[]")]
    [InlineData(WebhookSource.CardGateway, "payment.source.brand", "{}")]
    [InlineData(WebhookSource.CardGateway, "consumer.email", "\"not-an-email\"")]
    [InlineData(WebhookSource.CardGateway, "consumer.externalId", "{}")]
    [InlineData(WebhookSource.CardGateway, "consumer.id", "[]")]
    [InlineData(WebhookSource.CardGateway, "consumer.firstName", "{}")]
    [InlineData(WebhookSource.CardGateway, "consumer.lastName", "[]")]
    [InlineData(WebhookSource.CardGateway, "consumer.phone", "{}")]
    [InlineData(WebhookSource.CardGateway, "subscription.id", "{}")]
    [InlineData(WebhookSource.CardGateway, "subscription.status", "[]")]
    [InlineData(WebhookSource.CardGateway, "subscription.cycle", "\"first\"")]
    [InlineData(WebhookSource.CardGateway, "subscription.renewalDate", "\"soon\"")]
    [InlineData(WebhookSource.CardGateway, "subscription.cancelDate", "{}")]
    public void AllParsers_InvalidOptionalField_RefusedNamingIt(WebhookSource source, string path, string json)
    {
        var ex = Refused(source, n => Set(n, path, JsonNode.Parse(json)));
        Assert.Contains(ex.Errors, m => m.Contains(path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WebhookSource.Vcc, "client_data.name", 202)]
    [InlineData(WebhookSource.Vcc, "payment.payment_gw", 195)]
    [InlineData(WebhookSource.Vcc, "client_data.email", 257)]
    [InlineData(WebhookSource.Vcc, "client_data.phone1", 51)]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.first_name", 101)]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.last_name", 101)]
    [InlineData(WebhookSource.EComCharge, "transaction.billing_address.phone", 51)]
    [InlineData(WebhookSource.CardGateway, "consumer.firstName", 101)]
    [InlineData(WebhookSource.CardGateway, "consumer.lastName", 101)]
    [InlineData(WebhookSource.CardGateway, "consumer.externalId", 101)]
    [InlineData(WebhookSource.CardGateway, "consumer.email", 257)]
    [InlineData(WebhookSource.CardGateway, "subscription.id", 101)]
    public void AllParsers_TextOverTheDomainLimit_RefusedNamingIt(WebhookSource source, string path, int length)
    {
        var text = path.EndsWith("email", StringComparison.Ordinal)
            ? new string('a', length - "@example.test".Length) + "@example.test"
            : new string('a', length);
        var ex = Refused(source, n => Set(n, path, text));
        Assert.Contains(ex.Errors, m => m.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public void Vcc_NameOfTwoLongHalves_RefusedAsTooLongForTheHolder()
    {
        var ex = Refused(WebhookSource.Vcc, n => n["client_data"]!["name"] = new string('a', 100) + " " + new string('b', 100));
        Assert.Contains(ex.Errors, m => m.Contains("client_data.name", StringComparison.Ordinal));
    }

    [Fact]
    public void AllParsers_AbsentOrEmptyOptionalFields_StillAccepted()
    {
        var vcc = Parse(WebhookSource.Vcc, n =>
        {
            foreach (var key in new[] { "timestamp", "userid", "projectid", "in_call", "username", "client_data" }) n.AsObject().Remove(key);
        });
        Assert.Null(vcc.OccurredAtUtc);
        Assert.Null(vcc.Customer?.Email);
        var ecom = Parse(WebhookSource.EComCharge, n =>
        {
            n["transaction"]!["customer"]!["email"] = "";
            n["transaction"]!.AsObject().Remove("tracking_id");
        });
        Assert.Null(ecom.Customer!.Email);
        var card = Parse(WebhookSource.CardGateway, n =>
        {
            n.AsObject().Remove("consumer");
            n.AsObject().Remove("subscription");
            n.AsObject().Remove("metadata");
        });
        Assert.Null(card.Customer);
    }

    [Fact]
    public void CardGateway_SubscriptionDates_Parsed()
    {
        var e = Parse(WebhookSource.CardGateway, _ => { });
        Assert.Equal(new DateTime(2020, 4, 17, 13, 43, 2, DateTimeKind.Utc), e.Subscription!.RenewalDateUtc);
        Assert.Equal(new DateTime(2020, 11, 17, 13, 43, 2, DateTimeKind.Utc), e.Subscription.CancelDateUtc);
    }

    [Fact]
    public void InboundLimits_EqualThePaymentModelsLimits()
    {
        static string Of(int length) => new('a', length);
        var at = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);
        Payment Create(string? reference = null, string? agent = null, string? uuid = null) =>
            Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Vcc, CreatedAtUtc = at, ReferenceId = reference, AgentName = agent, CallUuid = uuid });

        PaymentCustomer.Create(Of(InboundLimits.CustomerIdMaxLength), Of(InboundLimits.EmailMaxLength), Of(InboundLimits.NameMaxLength),
            Of(InboundLimits.NameMaxLength), Of(InboundLimits.PhoneMaxLength));
        Assert.Throws<DomainException>(() => PaymentCustomer.Create(id: Of(InboundLimits.CustomerIdMaxLength + 1)));
        Assert.Throws<DomainException>(() => PaymentCustomer.Create(email: Of(InboundLimits.EmailMaxLength + 1)));
        Assert.Throws<DomainException>(() => PaymentCustomer.Create(firstName: Of(InboundLimits.NameMaxLength + 1)));
        Assert.Throws<DomainException>(() => PaymentCustomer.Create(lastName: Of(InboundLimits.NameMaxLength + 1)));
        Assert.Throws<DomainException>(() => PaymentCustomer.Create(phoneNumber: Of(InboundLimits.PhoneMaxLength + 1)));

        var payment = Create(Of(InboundLimits.ReferenceMaxLength), Of(InboundLimits.AgentNameMaxLength), Of(InboundLimits.CallUuidMaxLength));
        Assert.Throws<DomainException>(() => Create(reference: Of(InboundLimits.ReferenceMaxLength + 1)));
        Assert.Throws<DomainException>(() => Create(agent: Of(InboundLimits.AgentNameMaxLength + 1)));
        Assert.Throws<DomainException>(() => Create(uuid: Of(InboundLimits.CallUuidMaxLength + 1)));

        payment.AddLine(new NewPaymentLine { UnitAmount = 100 });
        NewTransaction Attempt(int holderLength, int gatewayNameLength) => new()
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("vcc", Of(gatewayNameLength)),
            RequestedAmount = 100,
            HolderName = Of(holderLength),
        };
        payment.AddTransaction(Attempt(InboundLimits.HolderNameMaxLength, InboundLimits.GatewayNameMaxLength), "test");
        Assert.Throws<DomainException>(() => payment.AddTransaction(Attempt(InboundLimits.HolderNameMaxLength + 1, 10), "test"));
        Assert.Throws<DomainException>(() => payment.AddTransaction(Attempt(10, InboundLimits.GatewayNameMaxLength + 1), "test"));
    }

    // ---- 7. ids that are card numbers ----

    [Theory]
    [InlineData(WebhookSource.Vcc, "payment.transactionid")]
    [InlineData(WebhookSource.Vcc, "uuid")]
    [InlineData(WebhookSource.Vcc, "client_data.merchant_reference_code")]
    [InlineData(WebhookSource.EComCharge, "transaction.uid")]
    [InlineData(WebhookSource.EComCharge, "transaction.tracking_id")]
    [InlineData(WebhookSource.EComCharge, "transaction.parent_uid")]
    [InlineData(WebhookSource.CardGateway, "payment.transactionId")]
    [InlineData(WebhookSource.CardGateway, "payment.orderId")]
    [InlineData(WebhookSource.CardGateway, "consumer.externalId")]
    [InlineData(WebhookSource.CardGateway, "consumer.id")]
    [InlineData(WebhookSource.CardGateway, "subscription.id")]
    public void AllParsers_IdThatIsACardNumber_RefusedWithTheNumberMasked(WebhookSource source, string path)
    {
        foreach (var pan in new[] { "4111111111111111", "4111 1111 1111 1111", "5500-0055-5555-5559" })
        {
            var ex = Refused(source, n => Set(n, path, pan));

            var error = Assert.Single(ex.Errors, m => m.Contains(path, StringComparison.Ordinal));
            Assert.Contains("looks like a card number", error, StringComparison.Ordinal);
            Assert.DoesNotContain(pan, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(new string(pan.Where(char.IsDigit).ToArray()), ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("4111111111111112")] // fails the Luhn check
    [InlineData("411111111111")] // 12 digits
    [InlineData("41111111111111111111")] // 20 digits
    [InlineData("tx-4111111111111111-a")] // not only a number
    public void EComCharge_IdThatIsNotACardNumber_Accepted(string uid)
    {
        Assert.Equal(uid, Parse(WebhookSource.EComCharge, n => n["transaction"]!["uid"] = uid).ExternalTransactionId);
    }

    [Fact]
    public void AllParsers_CardNumberInFreeText_Masked()
    {
        var e = Parse(WebhookSource.CardGateway, n =>
        {
            n["payment"]!["description"] = "declined 4111111111111111";
            n["consumer"]!["firstName"] = "4111111111111111";
            n["metadata"] = new JsonObject { ["note"] = "card 4111111111111111" };
        });
        Assert.Equal("declined 411111******1111", e.Message);
        Assert.Equal("411111******1111", e.Customer!.FirstName);
        Assert.Equal("card 411111******1111", e.Metadata["note"]);
    }

    // ---- 2. event keys of refunds ----

    [Fact]
    public void CardGateway_RefundEventKey_DistinguishesAmountsReplayEqual()
    {
        InboundPaymentEvent Refund(string amount) => Parse(WebhookSource.CardGateway, n =>
        {
            n["payment"]!["status"] = "refunded";
            n["payment"]!["amount"] = JsonNode.Parse(amount);
        });

        Assert.Equal(Refund("3.00").EventKey, Refund("3.00").EventKey);
        Assert.NotEqual(Refund("3.00").EventKey, Refund("2.00").EventKey);
        Assert.NotEqual(Refund("3.00").EventKey, Parse(WebhookSource.CardGateway, _ => { }).EventKey);
    }
}
