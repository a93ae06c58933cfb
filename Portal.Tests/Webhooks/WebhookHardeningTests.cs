using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Webhooks;

namespace Portal.Tests.Webhooks;

/// <summary>
/// The webhook defects a review reproduced: cross-gateway matching, card-gateway refunds,
/// currency mismatches, unbounded amounts, 500s on odd JSON, ignored field errors and
/// card-number-like ids.
/// </summary>
public sealed class WebhookHardeningTests : IClassFixture<WebhookApp>
{
    private readonly WebhookApp _app;
    private readonly HttpClient _client;

    public WebhookHardeningTests(WebhookApp app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    // ---- 1. a source only ever matches its own gateway's transactions ----

    [Fact]
    public async Task CardGatewayCallback_TransactionIdOfAnEComChargeTransaction_LeavesItUnchanged()
    {
        var (paymentId, uid) = await EComChargeConfirmedAsync(2500, "EUR");
        var before = await LoadAsync(paymentId);

        var (status, answer) = await PostAsync(WebhookSource.CardGateway, CardGateway(uid, "refunded", "25.00", "EUR"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(paymentId, answer["paymentId"]?.GetValue<string>());
        await AssertStillConfirmedAndUnrefundedAsync(paymentId, before);
    }

    [Fact]
    public async Task EComChargeAndVcc_IdOfACardGatewayTransaction_LeaveItUnchanged()
    {
        var txid = Guid.NewGuid().ToString("N");
        var cardPaymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");
        var before = await LoadAsync(cardPaymentId);

        var (ecomStatus, ecom) = await PostAsync(WebhookSource.EComCharge, EComCharge(txid, "failed", 999, "USD", trackingId: "none-" + txid));
        var vccBody = Sample("vcc-successful.json", n =>
        {
            n["payment"]!["transactionid"] = txid;
            n["payment"]!["status"] = "unsuccessful";
            n["uuid"] = Guid.NewGuid().ToString();
        });
        var (vccStatus, vcc) = await PostAsync(WebhookSource.Vcc, vccBody);

        Assert.Equal(HttpStatusCode.OK, ecomStatus);
        Assert.Equal("failed", ecom["outcome"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, vccStatus);
        Assert.NotEqual(cardPaymentId, vcc["paymentId"]!.GetValue<string>());
        var after = await LoadAsync(cardPaymentId);
        Assert.Equal(TransactionStatus.Confirmed, Assert.Single(after.Transactions).Status);
        Assert.Equal(before.StatusChanges.Count, after.StatusChanges.Count);
    }

    [Fact]
    public async Task ExternalIdLookup_ByGatewayAndId_UsesTheIndex()
    {
        await using var db = _app.Db();
        // ToQueryString declares its parameters with ".param set" lines (sqlite3 shell syntax): EXPLAIN takes them unbound.
        var sql = string.Join('\n', InboundEventApplier.TransactionsWithExternalId(db, "cardgateway", "12345").ToQueryString()
            .Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new StringBuilder();
        while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(3));

        Assert.Contains("IX_PaymentTransactions_GatewayId_ExternalId1", plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GatewayIds_OfEComChargeNotifications_AreTheAdaptersGatewayName()
    {
        Assert.Equal(Portal.Gateways.EComCharge.EComChargeGateway.GatewayName, InboundEventApplier.GatewayIdOf(WebhookSource.EComCharge));
    }

    // ---- 2. card-gateway refund callbacks are refunds with an amount ----

    [Fact]
    public async Task CardGatewayRefundCallbacks_TwoPartialsThenReplay_RecordsBothOnceEach()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");

        var first = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "3.00", "USD"));
        var second = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "success", "2.00", "USD", action: "refund"));
        var replay = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "success", "2.00", "USD", action: "refund"));

        Assert.Equal("applied", first.Answer["outcome"]!.GetValue<string>());
        Assert.Equal("applied", second.Answer["outcome"]!.GetValue<string>());
        Assert.Equal("duplicate", replay.Answer["outcome"]!.GetValue<string>());
        var tx = Assert.Single((await LoadAsync(paymentId)).Transactions);
        Assert.Equal(TransactionStatus.RefundedPartially, tx.Status);
        Assert.Equal(500, tx.RefundedAmount);
        Assert.Equal(999, tx.ConfirmedAmount);

        // It may have been a second refund of 2.00: the answer says so, and the delivery is flagged for a check.
        Assert.Contains("flagged on the Webhooks page", replay.Answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var rows = await WebhookRowsAsync(txid);
        var refundOf200 = Assert.Single(rows, r => r.Id == second.Answer["deliveryId"]!.GetValue<long>());
        Assert.Equal((1, true), (refundOf200.Replays, refundOf200.NeedsGatewayCheck));
        Assert.NotNull(refundOf200.LastReplayAtUtc);
        Assert.All(rows.Where(r => r != refundOf200), r => Assert.Equal((0, false), (r.Replays, r.NeedsGatewayCheck)));
    }

    [Theory]
    [InlineData("12345:Refunded:300", true)]
    [InlineData("a:Refunded:b:Refunded:0", true)]
    [InlineData("12345:Refunded", false)]
    [InlineData("id:Refunded:300:Approved", false)]
    [InlineData("x:Refunded:y:Approved", false)]
    public void AmountKeyedRefund_OnlyAKeyEndingInRefundedAndAnAmount(string eventKey, bool expected) =>
        Assert.Equal(expected, InboundPaymentEvent.IsAmountKeyedRefund(eventKey));

    [Fact]
    public async Task CardGatewayRefundCallback_FailedThenReplayed_SaysItCanBeReprocessedAndIsNotFlagged()
    {
        var txid = Guid.NewGuid().ToString("N"); // no such transaction: the refund cannot be applied
        var first = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "3.00", "USD"));
        var replay = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "3.00", "USD"));

        Assert.Equal("failed", first.Answer["outcome"]!.GetValue<string>());
        Assert.Equal("duplicate", replay.Answer["outcome"]!.GetValue<string>());
        Assert.Contains("can reprocess it", replay.Answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var row = Assert.Single(await WebhookRowsAsync(txid));
        Assert.Equal((1, false), (row.Replays, row.NeedsGatewayCheck));
    }

    [Fact]
    public async Task CardGatewayPaymentCallback_Replayed_CountedButNotFlaggedForACheck()
    {
        var txid = Guid.NewGuid().ToString("N");
        await CardGatewayPaymentAsync(txid, "9.99", "USD");

        var replay = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "success", "9.99", "USD"));

        Assert.Equal(("duplicate", "Already received."), (replay.Answer["outcome"]!.GetValue<string>(), replay.Answer["message"]!.GetValue<string>()));
        var row = Assert.Single(await WebhookRowsAsync(txid));
        Assert.Equal((1, false), (row.Replays, row.NeedsGatewayCheck));
    }

    [Fact]
    public async Task CardGatewayRefundCallback_RestOfTheAmount_TransactionRefunded()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");

        await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "4.00", "USD"));
        var (_, answer) = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "5.99", "USD"));

        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        var tx = Assert.Single((await LoadAsync(paymentId)).Transactions);
        Assert.Equal(TransactionStatus.Refunded, tx.Status);
        Assert.Equal(999, tx.RefundedAmount);
    }

    [Fact]
    public async Task CardGatewayRefundCallback_OverRefundableAmount_FailedDeliveryWithReasonNothingChanged()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");
        var before = await LoadAsync(paymentId);

        var (status, answer) = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "10.00", "USD"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        Assert.Contains("exceeds", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await using (var db = _app.Db())
        {
            var delivery = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == answer["deliveryId"]!.GetValue<long>());
            Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
            Assert.Contains("exceeds", delivery.Error, StringComparison.Ordinal);
        }
        await AssertStillConfirmedAndUnrefundedAsync(paymentId, before);
    }

    [Fact]
    public async Task CardGatewayRefundCallback_UnknownTransaction_FailedAndNoPaymentCreated()
    {
        var before = await _app.CountsAsync();

        var (_, answer) = await PostAsync(WebhookSource.CardGateway, CardGateway(Guid.NewGuid().ToString("N"), "refunded", "1.00", "USD"));

        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        var after = await _app.CountsAsync();
        Assert.Equal((before.Payments, before.Transactions), (after.Payments, after.Transactions));
    }

    // ---- 3. the event's currency must be the transaction's ----

    [Fact]
    public async Task EComChargeNotification_OtherCurrencyThanTransaction_FailedZeroChanges()
    {
        var (paymentId, trackingId) = await PortalChargeAsync(2500, Currency.EUR);
        var before = await LoadAsync(paymentId);

        var (_, answer) = await PostAsync(WebhookSource.EComCharge, EComCharge("u-" + Guid.NewGuid().ToString("N")[..12], "successful", 1, "JPY", trackingId));

        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        Assert.Contains("JPY", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("EUR", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await LoadAsync(paymentId);
        var tx = Assert.Single(after.Transactions);
        Assert.Equal(TransactionStatus.Requested, tx.Status);
        Assert.Equal(0, tx.ConfirmedAmount);
        Assert.Null(tx.ExternalId1);
        Assert.Equal(before.StatusChanges.Count, after.StatusChanges.Count);
        Assert.Equal(before.UpdatedAtUtc, after.UpdatedAtUtc);
    }

    [Fact]
    public async Task EComChargeRefundNotification_OtherCurrencyThanParent_FailedZeroChanges()
    {
        var (paymentId, uid) = await EComChargeConfirmedAsync(2500, "EUR");

        var refund = EComCharge("r-" + Guid.NewGuid().ToString("N")[..12], "successful", 1000, "USD", trackingId: null, n =>
        {
            n["transaction"]!["type"] = "refund";
            n["transaction"]!["parent_uid"] = uid;
        });
        var (_, answer) = await PostAsync(WebhookSource.EComCharge, refund);

        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        Assert.Contains("USD", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var tx = Assert.Single((await LoadAsync(paymentId)).Transactions);
        Assert.Equal(TransactionStatus.Confirmed, tx.Status);
        Assert.Equal(0, tx.RefundedAmount);
    }

    [Fact]
    public async Task CardGatewayCallback_OtherCurrencyThanTransaction_FailedZeroChanges()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");
        var before = await LoadAsync(paymentId);

        var refund = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "refunded", "1.00", "EUR"));
        var cancel = await PostAsync(WebhookSource.CardGateway, CardGateway(txid, "cancelled", "9.99", "GBP"));

        Assert.Equal("failed", refund.Answer["outcome"]!.GetValue<string>());
        Assert.Equal("failed", cancel.Answer["outcome"]!.GetValue<string>());
        Assert.Contains("GBP", cancel.Answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStillConfirmedAndUnrefundedAsync(paymentId, before);
    }

    [Fact]
    public async Task VccCallback_OtherCurrencyThanTransaction_FailedZeroChanges()
    {
        var txid = Guid.NewGuid().ToString("N");
        string Body(string status, string currency) => Sample("vcc-successful.json", n =>
        {
            n["payment"]!["transactionid"] = txid;
            n["payment"]!["status"] = status;
            n["payment"]!["currency"] = currency;
            n["uuid"] = "call-" + txid;
        });
        var (_, created) = await PostAsync(WebhookSource.Vcc, Body("unsuccessful", "huf"));
        var paymentId = created["paymentId"]!.GetValue<string>();
        var before = await LoadAsync(paymentId);

        var (_, answer) = await PostAsync(WebhookSource.Vcc, Body("successful", "eur"));

        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        var after = await LoadAsync(paymentId);
        Assert.Equal(TransactionStatus.Failed, Assert.Single(after.Transactions).Status);
        Assert.Equal(before.StatusChanges.Count, after.StatusChanges.Count);
    }

    // ---- 4. amounts are bounded for every source ----

    [Fact]
    public async Task CardGatewayCallback_HugeAmount_422ZeroWrites()
    {
        var before = await _app.CountsAsync();

        var response = await _app.PostAsync(_client, WebhookSource.CardGateway, CardGateway(Guid.NewGuid().ToString("N"), "success", "50000000000000000.00", "USD"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("payment.amount", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountsAsync());
    }

    // ---- 5. odd but well-formed JSON is a 400, never a 500 ----

    public static TheoryData<WebhookSource, string> OddJson()
    {
        var data = new TheoryData<WebhookSource, string>();
        foreach (var source in new[] { WebhookSource.Vcc, WebhookSource.EComCharge, WebhookSource.CardGateway })
        {
            var (sample, container, amountField) = source switch
            {
                WebhookSource.Vcc => ("vcc-successful.json", "payment", "amount"),
                WebhookSource.EComCharge => ("ecomcharge-successful.json", "transaction", "amount"),
                _ => ("cardgateway-success.json", "payment", "amount"),
            };
            var body = InboundParserTests.Sample(sample);
            var open = body.IndexOf("\"" + container + "\"", StringComparison.Ordinal);
            var brace = body.IndexOf('{', open);
            data.Add(source, body.Insert(brace + 1, $"\"{amountField}\": 200, "));
            data.Add(source, body.Insert(brace + 1, "\"note\": \"sur\\ud800x\", "));
            data.Add(source, body.Insert(brace + 1, "\"sur\\ud800x\": 1, "));
            data.Add(source, body.Insert(body.LastIndexOf('}'), ", \"" + container + "\": {}"));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OddJson))]
    public async Task OddJson_DuplicateKeysOrLoneSurrogates_400ZeroWrites(WebhookSource source, string body)
    {
        var before = await _app.CountsAsync();

        var response = await _app.PostAsync(_client, source, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Contains("appears twice", StringComparison.Ordinal) || text.Contains("surrogate", StringComparison.Ordinal), text);
        Assert.Equal(before, await _app.CountsAsync());
    }

    // ---- 6. every present field is validated ----

    [Fact]
    public async Task VccCallback_GarbageOptionalFields_422NamingEachZeroWrites()
    {
        var before = await _app.CountsAsync();
        var body = Sample("vcc-successful.json", n =>
        {
            n["payment"]!["transactionid"] = Guid.NewGuid().ToString("N");
            n["uuid"] = Guid.NewGuid().ToString();
            n["timestamp"] = "garbage";
            n["userid"] = "abc";
            n["in_call"] = "yes";
            n["client_data"]!["email"] = "not-an-email";
        });

        var response = await _app.PostAsync(_client, WebhookSource.Vcc, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var field in new[] { "timestamp", "userid", "in_call", "client_data.email" })
            Assert.Contains(field, text, StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountsAsync());
    }

    // ---- 7. ids that are card numbers are refused before anything is kept ----

    [Fact]
    public async Task EComChargeNotification_CardNumberIds_422MaskedNothingStoredOrLogged()
    {
        var before = await _app.CountsAsync();
        var body = EComCharge("4111111111111111", "successful", 100, "USD", "5500005555555559");

        var response = await _app.PostAsync(_client, WebhookSource.EComCharge, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("looks like a card number", text, StringComparison.Ordinal);
        Assert.Contains("411111******1111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111111111111111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("5500005555555559", text, StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountsAsync());
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("4111111111111111", StringComparison.Ordinal) || l.Contains("5500005555555559", StringComparison.Ordinal));
    }

    // ---- 8. subscription details are kept ----

    [Fact]
    public async Task CardGatewayCallback_Subscription_DatesKeptInMetadata()
    {
        var paymentId = await CardGatewayPaymentAsync(Guid.NewGuid().ToString("N"), "9.99", "USD");

        var payment = await LoadAsync(paymentId);

        Assert.Equal("sub_1", payment.Metadata["subscriptionId"]);
        Assert.Equal("active", payment.Metadata["subscriptionStatus"]);
        Assert.Equal("0", payment.Metadata["subscriptionCycle"]);
        Assert.Equal("2020-04-17T13:43:02Z", payment.Metadata["subscriptionRenewalDate"]);
        Assert.Equal("2020-11-17T13:43:02Z", payment.Metadata["subscriptionCancelDate"]);
    }

    [Fact]
    public async Task CardGatewayCallback_SubscriptionWithFullMetadata_SenderKeysKeptSubscriptionInHistory()
    {
        var txid = Guid.NewGuid().ToString("N");
        var body = CardGateway(txid, "success", "9.99", "USD", change: n =>
        {
            var metadata = new JsonObject();
            for (var i = 0; i < 9; i++) metadata["k" + i] = "v" + i;
            n["metadata"] = metadata;
        });

        var (_, answer) = await PostAsync(WebhookSource.CardGateway, body);

        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        var payment = await LoadAsync(answer["paymentId"]!.GetValue<string>());
        Assert.Equal(10, payment.Metadata.Count);
        for (var i = 0; i < 9; i++) Assert.Equal("v" + i, payment.Metadata["k" + i]);
        Assert.Equal("sub_1", payment.Metadata["subscriptionId"]);
        var note = Assert.Single(payment.StatusChanges, c => c.Note?.Contains("Subscription", StringComparison.Ordinal) == true).Note!;
        foreach (var part in new[] { "subscriptionStatus=active", "subscriptionCycle=0", "subscriptionRenewalDate=2020-04-17T13:43:02Z", "subscriptionCancelDate=2020-11-17T13:43:02Z" })
            Assert.Contains(part, note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reprocess_StoredPayloadNoLongerValid_DomainExceptionNothingApplied()
    {
        var body = Sample("vcc-successful.json", n =>
        {
            n["payment"]!["transactionid"] = Guid.NewGuid().ToString("N");
            n["client_data"]!["email"] = "not-an-email";
        });
        var delivery = new WebhookDelivery(WebhookSource.Vcc, Guid.NewGuid().ToString("N") + ":Approved", "old", "successful", body, DateTime.UtcNow);
        delivery.MarkFailed("stored before the email rule", DateTime.UtcNow);
        await using (var db = _app.Db())
        {
            db.Add(delivery);
            await db.SaveChangesAsync();
        }
        var ingestion = _app.Services.GetRequiredService<WebhookIngestion>();

        var ex = await Assert.ThrowsAsync<DomainException>(() => ingestion.ReprocessAsync(delivery.Id, Portal.Domain.Audit.Actor.System, CancellationToken.None));

        Assert.Contains("client_data.email", ex.Message, StringComparison.Ordinal);
        await using var check = _app.Db();
        Assert.Equal(WebhookDeliveryStatus.Failed, (await check.Set<WebhookDelivery>().SingleAsync(d => d.Id == delivery.Id)).Status);
    }

    [Fact]
    public async Task Reprocess_DeliveryStoredUnderAnOlderKeyRule_FiledUnderTodaysKeySoACopyIsADuplicate()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");
        var body = CardGateway(txid, "refunded", "3.00", "USD");
        var delivery = await StoreFailedAsync(WebhookSource.CardGateway, txid + ":Refunded", body); // the key before refunds carried their amount
        var ingestion = _app.Services.GetRequiredService<WebhookIngestion>();

        var reprocessed = await ingestion.ReprocessAsync(delivery.Id, Portal.Domain.Audit.Actor.System, CancellationToken.None);
        var copy = await PostAsync(WebhookSource.CardGateway, body);

        Assert.Equal(WebhookIngestOutcome.Applied, reprocessed.Outcome);
        Assert.Equal(("duplicate", delivery.Id), (copy.Answer["outcome"]!.GetValue<string>(), copy.Answer["deliveryId"]!.GetValue<long>()));
        await using var db = _app.Db();
        Assert.Equal(txid + ":Refunded:300", (await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == delivery.Id)).EventKey);
        Assert.Equal(300, Assert.Single((await LoadAsync(paymentId)).Transactions).RefundedAmount);
    }

    [Fact]
    public async Task Reprocess_OlderKeyAndTheEventArrivedAgainSince_RefusedAndNothingApplied()
    {
        var txid = Guid.NewGuid().ToString("N");
        var paymentId = await CardGatewayPaymentAsync(txid, "9.99", "USD");
        var body = CardGateway(txid, "refunded", "3.00", "USD");
        var delivery = await StoreFailedAsync(WebhookSource.CardGateway, txid + ":Refunded", body);
        var since = await PostAsync(WebhookSource.CardGateway, body);
        Assert.Equal("applied", since.Answer["outcome"]!.GetValue<string>());
        var ingestion = _app.Services.GetRequiredService<WebhookIngestion>();

        var ex = await Assert.ThrowsAsync<DomainException>(() => ingestion.ReprocessAsync(delivery.Id, Portal.Domain.Audit.Actor.System, CancellationToken.None));

        Assert.Contains($"same event as delivery {since.Answer["deliveryId"]}", ex.Message, StringComparison.Ordinal);
        await using var db = _app.Db();
        var stored = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == delivery.Id);
        Assert.Equal((WebhookDeliveryStatus.Failed, txid + ":Refunded"), (stored.Status, stored.EventKey));
        Assert.Equal(300, Assert.Single((await LoadAsync(paymentId)).Transactions).RefundedAmount);
    }

    // ---- helpers ----

    private async Task<WebhookDelivery> StoreFailedAsync(WebhookSource source, string eventKey, string body)
    {
        var delivery = new WebhookDelivery(source, eventKey, "old", "refunded", body, DateTime.UtcNow);
        delivery.MarkFailed("stored by an earlier version", DateTime.UtcNow);
        await using var db = _app.Db();
        db.Add(delivery);
        await db.SaveChangesAsync();
        return delivery;
    }

    private async Task<(HttpStatusCode Status, JsonNode Answer)> PostAsync(WebhookSource source, string body)
    {
        var response = await _app.PostAsync(_client, source, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private static string Sample(string name, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(InboundParserTests.Sample(name))!;
        change(node);
        return node.ToJsonString();
    }

    private static string CardGateway(string transactionId, string status, string amount, string currency, string? action = null,
        Action<JsonNode>? change = null) => Sample("cardgateway-success.json", n =>
    {
        n["payment"]!["transactionId"] = transactionId;
        n["payment"]!["status"] = status;
        n["payment"]!["amount"] = JsonNode.Parse(amount);
        n["payment"]!["currency"] = currency;
        n["payment"]!["orderId"] = "ord-" + transactionId[..Math.Min(8, transactionId.Length)];
        if (action is not null) n["payment"]!["action"] = action;
        change?.Invoke(n);
    });

    private static string EComCharge(string uid, string status, long amount, string currency, string? trackingId, Action<JsonNode>? change = null) =>
        Sample("ecomcharge-successful.json", n =>
        {
            n["transaction"]!["uid"] = uid;
            n["transaction"]!["status"] = status;
            n["transaction"]!["amount"] = amount;
            n["transaction"]!["currency"] = currency;
            if (trackingId is null) n["transaction"]!.AsObject().Remove("tracking_id");
            else n["transaction"]!["tracking_id"] = trackingId;
            change?.Invoke(n);
        });

    private async Task<string> CardGatewayPaymentAsync(string transactionId, string amount, string currency)
    {
        var (_, answer) = await PostAsync(WebhookSource.CardGateway, CardGateway(transactionId, "success", amount, currency));
        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        return answer["paymentId"]!.GetValue<string>();
    }

    /// <summary>A portal-started eComCharge charge confirmed by its notification: (payment id, gateway uid).</summary>
    private async Task<(string PaymentId, string Uid)> EComChargeConfirmedAsync(long amount, string currency)
    {
        var (paymentId, trackingId) = await PortalChargeAsync(amount, Currency.Parse(currency));
        var uid = "u-" + Guid.NewGuid().ToString("N")[..12];
        var (_, answer) = await PostAsync(WebhookSource.EComCharge, EComCharge(uid, "successful", amount, currency, trackingId));
        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        return (paymentId, uid);
    }

    private async Task<(string PaymentId, string TrackingId)> PortalChargeAsync(long amount, Currency currency)
    {
        var trackingId = "trk-" + Guid.NewGuid().ToString("N");
        var at = DateTime.UtcNow;
        var payment = Payment.Create(new NewPayment { Currency = currency, Source = PaymentSource.Portal, CreatedAtUtc = at });
        payment.AddLine(new NewPaymentLine { UnitAmount = amount });
        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            RequestedAmount = amount,
            TrackingId = trackingId,
        }, "test");
        await using var db = _app.Db();
        db.Add(payment);
        await db.SaveChangesAsync();
        return (payment.Id, trackingId);
    }

    /// <summary>The callback changed nothing: the one transaction is still Confirmed with nothing refunded, and no status moved.</summary>
    private async Task AssertStillConfirmedAndUnrefundedAsync(string paymentId, Payment before)
    {
        var after = await LoadAsync(paymentId);
        var tx = Assert.Single(after.Transactions);
        Assert.Equal(TransactionStatus.Confirmed, tx.Status);
        Assert.Equal(0, tx.RefundedAmount);
        Assert.Equal(before.StatusChanges.Count, after.StatusChanges.Count);
    }

    private async Task<IReadOnlyList<Portal.Webhooks.WebhookRow>> WebhookRowsAsync(string externalTransactionId) =>
        (await _app.Services.GetRequiredService<Portal.Webhooks.WebhookQueries>()
            .ListAsync(new(null, null, externalTransactionId), 0, 50)).Rows;

    private async Task<Payment> LoadAsync(string paymentId)
    {
        await using var db = _app.Db();
        return await db.Set<Payment>().AsNoTracking().WithAggregateAndHistory().SingleAsync(p => p.Id == paymentId);
    }
}
