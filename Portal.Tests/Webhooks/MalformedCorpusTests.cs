using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Webhooks;

namespace Portal.Tests.Webhooks;

/// <summary>
/// A generated corpus of bad bodies (truncated, wrong types, deeply nested, huge, invalid UTF-8,
/// garbage) against every webhook: each gets a 4xx and nothing is written.
/// </summary>
public sealed class MalformedCorpusTests : IClassFixture<WebhookApp>
{
    private static readonly (WebhookSource Source, string Sample, string[] Required)[] Sources =
    [
        (WebhookSource.Vcc, "vcc-successful.json", ["payment", "payment.transactionid", "payment.status", "payment.amount", "payment.currency", "uuid"]),
        (WebhookSource.EComCharge, "ecomcharge-successful.json", ["transaction", "transaction.uid", "transaction.status", "transaction.amount", "transaction.currency"]),
        (WebhookSource.CardGateway, "cardgateway-success.json", ["payment", "payment.transactionId", "payment.status", "payment.amount", "payment.currency"]),
    ];

    private readonly WebhookApp _app;

    public MalformedCorpusTests(WebhookApp app) => _app = app;

    [Fact]
    public async Task MalformedCorpus_AtLeast10000Bodies_Only4xxAndZeroWrites()
    {
        var corpus = Sources.SelectMany(s => Corpus(s.Source, s.Sample, s.Required).Select(body => (s.Source, body))).ToList();
        Assert.True(corpus.Count >= 10_000, $"corpus has only {corpus.Count} bodies");
        var client = _app.CreateClient();
        var before = await _app.CountsAsync();

        var unexpected = new List<string>();
        foreach (var chunk in corpus.Chunk(32))
        {
            var responses = await Task.WhenAll(chunk.Select(async c => (c, await _app.PostBytesAsync(client, c.Source, c.body))));
            foreach (var (c, response) in responses)
            {
                var code = (int)response.StatusCode;
                if (code is < 400 or >= 500)
                    unexpected.Add($"{c.Source} {code}: {Encoding.UTF8.GetString(c.body.AsSpan(0, Math.Min(120, c.body.Length)))}");
            }
        }

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} bodies were not answered with a 4xx, e.g.\n" + string.Join("\n", unexpected.Take(10)));
        Assert.Equal(before, await _app.CountsAsync());
    }

    private static IEnumerable<byte[]> Corpus(WebhookSource source, string sampleName, string[] required)
    {
        var sample = InboundParserTests.Sample(sampleName);
        var bytes = Encoding.UTF8.GetBytes(sample);
        var random = new Random(20261122 + (int)source);

        // Truncated at every position: never a complete document.
        for (var i = 0; i < bytes.Length - 1; i++)
            yield return bytes[..i];

        // Each required field missing, null, or of a wrong type.
        JsonNode?[] wrong = [null, JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(-1.5), JsonValue.Create("")];
        foreach (var path in required)
        {
            yield return Encoding.UTF8.GetBytes(Change(sample, path, remove: true, null));
            foreach (var value in wrong)
                yield return Encoding.UTF8.GetBytes(Change(sample, path, remove: false, value?.DeepClone()));
        }

        // Invalid UTF-8 bytes planted inside the document.
        for (var i = 0; i < 2000; i++)
        {
            var copy = (byte[])bytes.Clone();
            var at = random.Next(1, copy.Length - 1);
            copy[at] = (byte)(random.Next(2) == 0 ? 0xFF : 0xC3);
            if (copy[at] == 0xC3) copy[at + 1] = 0x28; // a lead byte followed by a non-continuation byte
            yield return copy;
        }

        // Deep nesting, inside a field and at the top.
        foreach (var depth in new[] { 65, 100, 1000, 5000 })
        {
            yield return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            var nested = new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":{", depth)) + string.Concat(Enumerable.Repeat("}", depth)) + "}";
            yield return Encoding.UTF8.GetBytes(nested);
        }

        // Huge bodies.
        yield return Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 300 * 1024) + "\"}");
        yield return new byte[257 * 1024];

        // Not JSON at all, and JSON of the wrong shape.
        foreach (var text in new[] { "", " ", "null", "[]", "42", "\"text\"", "true", "{}", "<xml/>", "payment=1&amount=2", "{\"payment\":null}" })
            yield return Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < 500; i++)
        {
            var garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            garbage[0] = (byte)'{';
            yield return garbage;
        }
    }

    private static string Change(string sample, string path, bool remove, JsonNode? value)
    {
        var root = JsonNode.Parse(sample)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        if (remove) parent.AsObject().Remove(parts[^1]);
        else parent[parts[^1]] = value;
        return root.ToJsonString();
    }
}
