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
                    unexpected.Add($"{c.Source} {code}: {Encoding.UTF8.GetString(c.body.AsSpan(0, Math.Min(300, c.body.Length)))}");
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

        // The same key twice in one object (JsonNode throws on these; they must be a 400).
        foreach (var path in PropertyPaths(JsonNode.Parse(sample)))
            yield return Encoding.UTF8.GetBytes(Write(JsonNode.Parse(sample), "", duplicate: path));

        // Lone UTF-16 surrogate escapes in every string value and every property name.
        foreach (var path in PropertyPaths(JsonNode.Parse(sample)))
        {
            foreach (var surrogate in new[] { "sur\\ud800x", "\\udc00", "x\\ud800", "\\udfff\\ud800" })
            {
                var root = JsonNode.Parse(sample)!;
                if (Find(root, path) is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    yield return Encoding.UTF8.GetBytes(Replace(sample, path, "\"" + surrogate + "\""));
                yield return Encoding.UTF8.GetBytes(Write(JsonNode.Parse(sample), "", rename: (path, surrogate)));
            }
        }

        // Numbers JSON allows but no field does (out of every range, negative zero where a string is due),
        // control characters, and nesting just under the parser's depth limit, in each required field.
        foreach (var path in required)
        {
            var isAmount = path.EndsWith(".amount", StringComparison.Ordinal);
            foreach (var number in new[] { "1e400", "-1e400", "1e-400", "-0", "-0.0", "123456789012345678901234567890", "1E+308" })
                if (!isAmount || !number.StartsWith("-0", StringComparison.Ordinal))
                    yield return Encoding.UTF8.GetBytes(Replace(sample, path, number));
            foreach (var text in new[] { "\"a\\u0000b\"", "\"\\u0000\"", "\"x\\u001fy\"", "\"\\u0007\"" })
                yield return Encoding.UTF8.GetBytes(Replace(sample, path, text));
            foreach (var depth in new[] { 30, 60 })
            {
                yield return Encoding.UTF8.GetBytes(Replace(sample, path, new string('[', depth) + new string(']', depth)));
                yield return Encoding.UTF8.GetBytes(Replace(sample, path, string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));
            }
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

    /// <summary>Dotted paths of every property in the document (array items are not descended into).</summary>
    private static List<string> PropertyPaths(JsonNode? node, string prefix = "")
    {
        var paths = new List<string>();
        if (node is not JsonObject obj) return paths;
        foreach (var (key, child) in obj)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            paths.Add(path);
            paths.AddRange(PropertyPaths(child, path));
        }
        return paths;
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.')) node = node?[part];
        return node;
    }

    /// <summary>The sample with the value at <paramref name="path"/> replaced by raw JSON text (which JsonNode could not hold).</summary>
    private static string Replace(string sample, string path, string rawJson)
    {
        const string marker = "@@raw-value@@";
        var root = JsonNode.Parse(sample)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        parent[parts[^1]] = marker;
        return root.ToJsonString().Replace("\"" + marker + "\"", rawJson, StringComparison.Ordinal);
    }

    /// <summary>Writes the document by hand, optionally writing one property twice or renaming one to raw key text.</summary>
    private static string Write(JsonNode? node, string prefix, string? duplicate = null, (string Path, string RawKey)? rename = null)
    {
        switch (node)
        {
            case JsonObject obj:
                var members = new List<string>();
                foreach (var (key, child) in obj)
                {
                    var path = prefix.Length == 0 ? key : prefix + "." + key;
                    var name = rename is { } r && r.Path == path ? "\"" + r.RawKey + "\"" : System.Text.Json.JsonSerializer.Serialize(key);
                    var member = name + ":" + Write(child, path, duplicate, rename);
                    members.Add(member);
                    if (path == duplicate) members.Add(member);
                }
                return "{" + string.Join(",", members) + "}";
            case JsonArray array:
                return "[" + string.Join(",", array.Select(item => Write(item, prefix + "[]", duplicate, rename))) + "]";
            default:
                return node?.ToJsonString() ?? "null";
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
