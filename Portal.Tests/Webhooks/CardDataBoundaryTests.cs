using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Webhooks;

namespace Portal.Tests.Webhooks;

/// <summary>
/// Card numbers sent inside any inbound field (ids, emails, references, customer ids, call
/// uuids, URLs, JSON numbers, keys) and CVV-like keys never reach the database, the data folder
/// or the logs: each shape goes through the real endpoints, then every byte is scanned.
/// </summary>
public sealed class CardDataBoundaryTests : IClassFixture<WebhookApp>
{
    private const string Visa = "4111111111111111";
    private const string Master = "5555555555554444";
    private const string Amex = "378282246310005";
    private const string Discover = "6011000990139424";
    private const string Visa2 = "4012888888881881";
    private const string Jcb = "3530111333300000";

    private readonly WebhookApp _app;
    private readonly HttpClient _client;

    public CardDataBoundaryTests(WebhookApp app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private static string Grouped(string pan, char separator) =>
        string.Join(separator, Enumerable.Range(0, (pan.Length + 3) / 4).Select(i => pan.Substring(i * 4, Math.Min(4, pan.Length - i * 4))));

    private static string Masked(string pan) => pan[..6] + new string('*', pan.Length - 10) + pan[^4..];

    private async Task<(HttpStatusCode Status, JsonNode? Answer, string Text)> PostAsync(WebhookSource source, string body)
    {
        var response = await _app.PostAsync(_client, source, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null, text);
    }

    [Fact]
    public async Task EveryInboundShape_CardNumbersMaskedEverywhere_ZeroHitsInDatabaseDataFolderAndLogs()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Card gateway: id, reference, customer id, email, URL query, description, JSON number, grouped numbers, a key.
        var card = JsonNode.Parse(InboundParserTests.Sample("cardgateway-success.json"))!;
        card["payment"]!["transactionId"] = $"tx-{Visa}-{suffix}";
        card["payment"]!["orderId"] = $"ref-{Grouped(Master, ' ')}-{suffix}";
        card["payment"]!["url"] = $"https://example.test/acs?pan={Visa}&x=1";
        card["payment"]!["description"] = $"approved for card {Grouped(Discover, '-')}";
        card["payment"]!["source"]!["number"] = Grouped(Visa2, ' ');
        card["payment"]!["card_cvv"] = "737";
        card["payment"]!["cvc_code"] = "738";
        card["consumer"]!["externalId"] = "cust" + Amex;
        card["consumer"]!["email"] = $"{Visa}@example.com";
        card["consumer"]!["pin"] = "4321";
        card["metadata"] = new JsonObject
        {
            ["pan_number"] = JsonValue.Create(long.Parse(Jcb, System.Globalization.CultureInfo.InvariantCulture)),
            [$"k{Master}"] = "v",
            ["csc"] = "739",
            ["cvn"] = "740",
            ["cvv_code"] = "741",
        };
        var cardAnswer = await PostAsync(WebhookSource.CardGateway, card.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, cardAnswer.Status);
        Assert.Equal("applied", cardAnswer.Answer!["outcome"]!.GetValue<string>());

        // VCC: call uuid and transaction id.
        var vcc = JsonNode.Parse(InboundParserTests.Sample("vcc-successful.json"))!;
        vcc["payment"]!["transactionid"] = $"vcc-{Visa}-{suffix}";
        vcc["uuid"] = $"call-{Master}-{suffix}";
        var vccAnswer = await PostAsync(WebhookSource.Vcc, vcc.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, vccAnswer.Status);

        // eComCharge for an unknown charge: stored as Failed with a reason naming both ids, and logged as a warning.
        var ecom = JsonNode.Parse(InboundParserTests.Sample("ecomcharge-successful.json"))!;
        ecom["transaction"]!["uid"] = $"u-{Amex}-{suffix}";
        ecom["transaction"]!["tracking_id"] = $"trk-{Discover}-{suffix}";
        ecom["transaction"]!["credit_card"]!["verification_value"] = "742";
        var ecomAnswer = await PostAsync(WebhookSource.EComCharge, ecom.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, ecomAnswer.Status);
        Assert.Equal("failed", ecomAnswer.Answer!["outcome"]!.GetValue<string>());

        foreach (var answer in new[] { cardAnswer.Text, vccAnswer.Text, ecomAnswer.Text })
            AssertNoPan(answer, "the answer");

        // What was kept is masked, not dropped: the masked forms are where the numbers were.
        await using (var db = _app.Db())
        {
            var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == cardAnswer.Answer!["paymentId"]!.GetValue<string>());
            Assert.Equal($"ref-{Masked(Master)}-{suffix}", payment.ReferenceId);
            Assert.Equal($"{Masked(Visa)}@example.com", payment.Customer!.Email);
            Assert.Equal("cust" + Masked(Amex), payment.Customer.Id);
            Assert.Equal(Masked(Jcb), payment.Metadata["pan_number"]);
            var tx = Assert.Single(payment.Transactions);
            Assert.Equal($"tx-{Masked(Visa)}-{suffix}", tx.ExternalId1);
            Assert.Equal("1881", tx.CardLast4);
            var delivery = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == cardAnswer.Answer!["deliveryId"]!.GetValue<long>());
            Assert.Equal($"tx-{Masked(Visa)}-{suffix}:Approved", delivery.EventKey);
            var stored = JsonNode.Parse(delivery.MaskedPayload)!;
            Assert.Equal($"https://example.test/acs?pan={Masked(Visa)}&x=1", stored["payment"]!["url"]!.GetValue<string>());
            foreach (var key in new[] { "card_cvv", "cvc_code" }) Assert.Null(stored["payment"]![key]);
            Assert.Null(stored["consumer"]!["pin"]);
            foreach (var key in new[] { "csc", "cvn", "cvv_code" }) Assert.Null(stored["metadata"]![key]);
            foreach (var cvv in new[] { "737", "738", "739", "740", "741", "742", "4321" })
                Assert.DoesNotContain($"\"{cvv}\"", delivery.MaskedPayload, StringComparison.Ordinal);
            var audit = await db.Set<AuditEntry>().Where(a => a.Action == "webhook.applied").Select(a => a.After).ToListAsync();
            Assert.Contains(audit, a => a != null && a.Contains($"tx-{Masked(Visa)}-{suffix}", StringComparison.Ordinal));
        }
        // The log line names the event by its masked key (so the logs were captured and are not trivially clean).
        Assert.Contains(_app.Logs.Lines, l => l.Contains($"tx-{Masked(Visa)}-{suffix}", StringComparison.Ordinal));
        Assert.Contains(_app.Logs.Lines, l => l.Contains($"u-{Masked(Amex)}-{suffix}", StringComparison.Ordinal));

        AssertNothingAnywhere(Visa, Master, Amex, Discover, Visa2, Jcb);
    }

    [Fact]
    public async Task SameEventWithACardNumberInItsId_Replayed_SameMaskedKeyAnsweredAsDuplicate()
    {
        var body = JsonNode.Parse(InboundParserTests.Sample("cardgateway-success.json"))!;
        var id = $"tx-{Visa}-{Guid.NewGuid():N}";
        body["payment"]!["transactionId"] = id;

        var first = await PostAsync(WebhookSource.CardGateway, body.ToJsonString());
        var replay = await PostAsync(WebhookSource.CardGateway, body.ToJsonString());

        Assert.Equal("applied", first.Answer!["outcome"]!.GetValue<string>());
        Assert.Equal("duplicate", replay.Answer!["outcome"]!.GetValue<string>());
        Assert.Equal(first.Answer["deliveryId"]!.GetValue<long>(), replay.Answer["deliveryId"]!.GetValue<long>());
        Assert.Equal(first.Answer["paymentId"]!.GetValue<string>(), replay.Answer["paymentId"]!.GetValue<string>());
    }

    /// <summary>
    /// Seeded random placement: a random Luhn-valid number (13 to 19 digits, together, spaced or
    /// dashed, inside other text or as a JSON number) in a random field of a random source.
    /// Whatever the answer (accepted, duplicate, 422), no number is kept or logged anywhere.
    /// </summary>
    [Fact]
    public async Task RandomPlacementFuzz_Seeded_NoCardNumberAnywhere()
    {
        var random = new Random(20261207);
        var pans = new List<string>();
        var fields = new (WebhookSource Source, string Sample, string[] Path)[]
        {
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "transactionId"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "orderId"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "url"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "description"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "descriptor"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "source", "number"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["consumer", "externalId"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["consumer", "id"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["consumer", "email"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["consumer", "firstName"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["consumer", "phone"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["subscription", "id"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["metadata", "note"]),
            (WebhookSource.CardGateway, "cardgateway-success.json", ["metadata", "pan"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["uuid"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["payment", "transactionid"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["payment", "status_message"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["client_data", "name"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["client_data", "email"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["client_data", "phone1"]),
            (WebhookSource.Vcc, "vcc-successful.json", ["username"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "uid"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "tracking_id"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "message"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "customer", "email"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "credit_card", "holder"]),
            (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "receipt_url"]),
        };
        for (var round = 0; round < 60; round++)
        {
            var pan = RandomPan(random);
            pans.Add(pan);
            var (source, sample, path) = fields[random.Next(fields.Length)];
            var node = JsonNode.Parse(InboundParserTests.Sample(sample))!;
            Unique(node, source);
            var written = random.Next(3) switch { 0 => pan, 1 => Grouped(pan, ' '), _ => Grouped(pan, '-') };
            JsonNode value = random.Next(4) switch
            {
                0 => JsonValue.Create(written),
                1 => JsonValue.Create($"x{random.Next(1000)}-{written}-{random.Next(1000)}"),
                2 => JsonValue.Create($"{written}@example.com"),
                _ => JsonValue.Create(decimal.Parse(pan, System.Globalization.CultureInfo.InvariantCulture)),
            };
            var parent = node;
            foreach (var step in path[..^1]) parent = parent[step] ??= new JsonObject();
            parent[path[^1]] = value;

            var (status, _, text) = await PostAsync(source, node.ToJsonString());

            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity,
                $"round {round}: {source} {string.Join('.', path)} answered {(int)status}: {text}");
            AssertNoPan(text, $"round {round}'s answer");
        }

        AssertNothingAnywhere([.. pans]);
    }

    private static void Unique(JsonNode node, WebhookSource source)
    {
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
    }

    /// <summary>A random Luhn-valid card number of 13 to 19 digits, not starting with 0.</summary>
    internal static string RandomPan(Random random)
    {
        var length = random.Next(13, 20);
        var digits = new int[length];
        digits[0] = random.Next(1, 10);
        for (var i = 1; i < length - 1; i++) digits[i] = random.Next(10);
        var sum = 0;
        for (var i = length - 2; i >= 0; i--)
        {
            var d = digits[i];
            if ((length - 2 - i) % 2 == 0 && (d *= 2) > 9) d -= 9;
            sum += d;
        }
        digits[^1] = (10 - sum % 10) % 10;
        return string.Concat(digits);
    }

    private static void AssertNoPan(string text, string where) =>
        Assert.False(PayloadMasker.ContainsCardNumber(text), $"a card number in {where}: {text}");

    /// <summary>No full number (plain, spaced or dashed) in any file of the data folder, nor in any log line.</summary>
    private void AssertNothingAnywhere(params string[] pans)
    {
        SqliteConnection.ClearAllPools();
        var files = Directory.EnumerateFiles(_app.DataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "portal.db");
        var contents = files.Select(f => (File: f, Bytes: ReadShared(f))).ToList();
        var logs = _app.Logs.Lines;
        Assert.NotEmpty(logs);
        foreach (var pan in pans)
        {
            foreach (var form in new[] { pan, Grouped(pan, ' '), Grouped(pan, '-') })
            {
                var needle = Encoding.UTF8.GetBytes(form);
                foreach (var (file, bytes) in contents)
                    Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{form} found in {file}");
                Assert.DoesNotContain(logs, l => l.Contains(form, StringComparison.Ordinal));
            }
        }
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
