using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Webhooks;

namespace Portal.Tests.Webhooks;

public sealed class WebhookEndpointTests : IClassFixture<WebhookApp>
{
    private readonly WebhookApp _app;
    private readonly HttpClient _client;

    public WebhookEndpointTests(WebhookApp app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private static string Unique(string sample, WebhookSource source, Action<JsonNode>? change = null)
    {
        var node = JsonNode.Parse(InboundParserTests.Sample(sample))!;
        var id = Guid.NewGuid().ToString("N");
        switch (source)
        {
            case WebhookSource.Vcc:
                node["payment"]!["transactionid"] = id;
                node["uuid"] = Guid.NewGuid().ToString();
                break;
            case WebhookSource.EComCharge:
                node["transaction"]!["uid"] = "u-" + id[..12];
                node["transaction"]!["tracking_id"] = "trk-" + id;
                break;
            default:
                node["payment"]!["transactionId"] = id;
                break;
        }
        change?.Invoke(node);
        return node.ToJsonString();
    }

    [Fact]
    public async Task VccCallback_SpecSample_CreatesPaymentLinkedToCall()
    {
        var body = Unique("vcc-successful.json", WebhookSource.Vcc);
        var uuid = JsonNode.Parse(body)!["uuid"]!.GetValue<string>();

        var response = await _app.PostAsync(_client, WebhookSource.Vcc, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        await using var db = _app.Db();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.CallUuid == uuid);
        Assert.Equal(PaymentSource.Vcc, payment.Source);
        Assert.Equal("elemer.erdosi", payment.AgentName);
        Assert.True(payment.InCall);
        Assert.Equal(Currency.HUF, payment.Currency);
        var tx = Assert.Single(payment.Transactions);
        Assert.Equal(TransactionStatus.Confirmed, tx.Status);
        Assert.Equal(100000, tx.ConfirmedAmount);
        Assert.Equal("1234", tx.CardLast4);
        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
    }

    [Fact]
    public async Task CardGatewayCallback_SpecSample_CreatesPaymentWithExactAmount()
    {
        var response = await _app.PostAsync(_client, WebhookSource.CardGateway, Unique("cardgateway-success.json", WebhookSource.CardGateway));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paymentId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paymentId"]!.GetValue<string>();
        await using var db = _app.Db();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId);
        Assert.Equal(999, payment.FinalAmount);
        Assert.Equal(Currency.USD, payment.Currency);
        Assert.Equal("235324530", payment.ReferenceId);
        Assert.Equal("bar", payment.Metadata["foo"]);
        Assert.Equal("sub_1", payment.Metadata["subscriptionId"]);
    }

    [Fact]
    public async Task SameCallback_50ReplaysTenInParallel_ExactlyOneChange()
    {
        var body = Unique("vcc-successful.json", WebhookSource.Vcc);
        var before = await _app.CountsAsync();

        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 5; round++)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _app.PostAsync(_client, WebhookSource.Vcc, body)));
            statuses.AddRange(batch.Select(r => r.StatusCode));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var after = await _app.CountsAsync();
        Assert.Equal(before.Deliveries + 1, after.Deliveries);
        Assert.Equal(before.Payments + 1, after.Payments);
        Assert.Equal(before.Transactions + 1, after.Transactions);
        // Every replay is counted on the one delivery.
        var transactionId = JsonNode.Parse(body)!["payment"]!["transactionid"]!.GetValue<string>();
        await using var db = _app.Db();
        Assert.Equal(49, await db.Set<WebhookDelivery>().Where(d => d.ExternalTransactionId == transactionId).Select(d => d.Replays).SingleAsync());
    }

    [Fact]
    public async Task WrongOrMissingCredentials_401AndZeroWrites()
    {
        var body = Unique("vcc-successful.json", WebhookSource.Vcc);
        var before = await _app.CountsAsync();

        var wrong = await _app.PostAsync(_client, WebhookSource.Vcc, body, auth: WebhookApp.Basic(WebhookApp.VccUser, "wrong"));
        var otherSource = await _app.PostAsync(_client, WebhookSource.Vcc, body, auth: WebhookApp.AuthOf(WebhookSource.CardGateway));
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/webhooks/vcc/payment") { Content = new StringContent(body) };
        var none = await _client.SendAsync(anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherSource.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Basic", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountsAsync());
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task WrongMediaType_415AndZeroWrites(string contentType, HttpStatusCode expected)
    {
        var before = await _app.CountsAsync();
        var response = await _app.PostAsync(_client, WebhookSource.Vcc, Unique("vcc-successful.json", WebhookSource.Vcc), contentType);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before, await _app.CountsAsync());
    }

    [Fact]
    public async Task BodyOver256KB_413AndZeroWrites()
    {
        var before = await _app.CountsAsync();
        var huge = Unique("vcc-successful.json", WebhookSource.Vcc, n => n["client_data"]!["name"] = new string('x', 300 * 1024));

        var response = await _app.PostAsync(_client, WebhookSource.Vcc, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await _app.CountsAsync());
    }

    [Fact]
    public async Task InvalidEvent_422WithMessageNamingTheField()
    {
        var before = await _app.CountsAsync();
        var body = Unique("cardgateway-success.json", WebhookSource.CardGateway, n => n["payment"]!["amount"] = 9.999m);

        var response = await _app.PostAsync(_client, WebhookSource.CardGateway, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("payment.amount", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountsAsync());
    }

    [Fact]
    public async Task StoredPayload_FullCardNumberAndTokenMasked()
    {
        var body = Unique("cardgateway-success.json", WebhookSource.CardGateway, n => n["payment"]!["source"]!["number"] = "4111111111111111");

        var response = await _app.PostAsync(_client, WebhookSource.CardGateway, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deliveryId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["deliveryId"]!.GetValue<long>();
        await using var db = _app.Db();
        var stored = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == deliveryId);
        Assert.DoesNotContain("4111111111111111", stored.MaskedPayload, StringComparison.Ordinal);
        Assert.Contains("411111******1111", stored.MaskedPayload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EComCharge_LatePendingAfterSuccess_DoesNotOverwriteFinalStatus()
    {
        var (paymentId, trackingId) = await CreatePortalChargeAsync();
        var uid = "u-" + Guid.NewGuid().ToString("N")[..12];
        string Notification(string status) => Unique("ecomcharge-successful.json", WebhookSource.EComCharge, n =>
        {
            n["transaction"]!["uid"] = uid;
            n["transaction"]!["tracking_id"] = trackingId;
            n["transaction"]!["status"] = status;
            n["transaction"]!["amount"] = 2500;
            n["transaction"]!["currency"] = "EUR";
        });

        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync(_client, WebhookSource.EComCharge, Notification("successful"))).StatusCode);
        var late = await _app.PostAsync(_client, WebhookSource.EComCharge, Notification("pending"));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        await using var db = _app.Db();
        var payment = await db.Set<Payment>().WithAggregateAndHistory().SingleAsync(p => p.Id == paymentId);
        var tx = Assert.Single(payment.Transactions);
        Assert.Equal(TransactionStatus.Confirmed, tx.Status);
        Assert.Equal(uid, tx.ExternalId1);
        Assert.Contains(payment.StatusChanges, c => !c.Applied && c.ToStatus == nameof(TransactionStatus.Requested));
    }

    [Fact]
    public async Task EComCharge_UnknownTransaction_StoredAsFailedThenReprocessed()
    {
        var uid = "u-" + Guid.NewGuid().ToString("N")[..12];
        var body = Unique("ecomcharge-successful.json", WebhookSource.EComCharge, n =>
        {
            n["transaction"]!["uid"] = uid;
            n["transaction"]!["tracking_id"] = "unknown-" + uid;
        });

        var response = await _app.PostAsync(_client, WebhookSource.EComCharge, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        var deliveryId = answer["deliveryId"]!.GetValue<long>();
        await using (var db = _app.Db())
            Assert.Equal(WebhookDeliveryStatus.Failed, (await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == deliveryId)).Status);

        // The same event again is a duplicate, not a second failure.
        var again = await _app.PostAsync(_client, WebhookSource.EComCharge, body);
        Assert.Equal("duplicate", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["outcome"]!.GetValue<string>());
    }

    private async Task<(string PaymentId, string TrackingId)> CreatePortalChargeAsync()
    {
        var trackingId = "trk-" + Guid.NewGuid().ToString("N");
        var at = DateTime.UtcNow;
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
        payment.AddLine(new NewPaymentLine { UnitAmount = 2500 });
        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            RequestedAmount = 2500,
            TrackingId = trackingId,
        }, "test");
        await using var db = _app.Db();
        db.Add(payment);
        await db.SaveChangesAsync();
        return (payment.Id, trackingId);
    }
}
