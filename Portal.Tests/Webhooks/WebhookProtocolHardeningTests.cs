using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Webhooks;

namespace Portal.Tests.Webhooks;

/// <summary>
/// Smaller webhook rules: UTF-8 only, a refused status is not called applied, a replay logs no
/// error, and the stored copy of a body has a size limit.
/// </summary>
public sealed class WebhookProtocolHardeningTests : IClassFixture<WebhookProtocolHardeningTests.App>
{
    /// <summary>The webhook app with every log entry's level captured.</summary>
    public sealed class App : IDisposable
    {
        public App()
        {
            Portal = new WebhookApp();
            var previous = Portal.ConfigureTestServices;
            Portal.ConfigureTestServices = services =>
            {
                previous?.Invoke(services);
                services.AddSingleton<ILoggerProvider>(Levels);
            };
        }

        public WebhookApp Portal { get; }

        public LevelCollector Levels { get; } = new();

        public void Dispose() => Portal.Dispose();
    }

    public sealed class LevelCollector : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => _entries.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }

    private readonly App _app;
    private readonly HttpClient _client;

    public WebhookProtocolHardeningTests(App app)
    {
        _app = app;
        _client = app.Portal.CreateClient();
    }

    private static string CardGateway(string transactionId, string status = "success")
    {
        var node = JsonNode.Parse(InboundParserTests.Sample("cardgateway-success.json"))!;
        node["payment"]!["transactionId"] = transactionId;
        node["payment"]!["status"] = status;
        return node.ToJsonString();
    }

    private async Task<JsonNode> PostOkAsync(string body)
    {
        var response = await _app.Portal.PostAsync(_client, WebhookSource.CardGateway, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=windows-1252")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=\"latin1\"")]
    public async Task Webhook_NonUtf8Charset_415NothingStored(string contentType)
    {
        var before = await _app.Portal.CountsAsync();

        var response = await _app.Portal.PostAsync(_client, WebhookSource.CardGateway, CardGateway(Guid.NewGuid().ToString("N")), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.Portal.CountsAsync());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task Webhook_Utf8OrNoCharset_Accepted(string contentType)
    {
        var response = await _app.Portal.PostAsync(_client, WebhookSource.CardGateway, CardGateway(Guid.NewGuid().ToString("N")), contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_LatePendingAfterSuccess_AnsweredRefusedNotApplied()
    {
        var id = Guid.NewGuid().ToString("N");
        var applied = await PostOkAsync(CardGateway(id));

        var late = await PostOkAsync(CardGateway(id, "pending"));

        Assert.Equal("applied", applied["outcome"]!.GetValue<string>());
        Assert.Equal("refused", late["outcome"]!.GetValue<string>());
        Assert.Contains("Refused", late["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var db = _app.Portal.Db();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == applied["paymentId"]!.GetValue<string>());
        Assert.Equal(TransactionStatus.Confirmed, Assert.Single(payment.Transactions).Status);
    }

    [Fact]
    public async Task Webhook_Replays_SequentialAndParallel_NoErrorLogged()
    {
        var body = CardGateway(Guid.NewGuid().ToString("N"));
        var first = await PostOkAsync(body);
        var errorsBefore = _app.Levels.Entries.Count(e => e.Level >= LogLevel.Error);

        var sequential = await PostOkAsync(body);
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostOkAsync(body)));

        Assert.Equal("applied", first["outcome"]!.GetValue<string>());
        Assert.All(parallel.Append(sequential), a => Assert.Equal("duplicate", a["outcome"]!.GetValue<string>()));
        var errors = _app.Levels.Entries.Where(e => e.Level >= LogLevel.Error).Skip(errorsBefore).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        // The capture works: the app's own entries arrive here.
        Assert.Contains(_app.Levels.Entries, e => e.Category.StartsWith("Portal.", StringComparison.Ordinal));
        await using var db = _app.Portal.Db();
        var delivery = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == first["deliveryId"]!.GetValue<long>());
        Assert.Equal(9, delivery.Replays);
    }

    [Fact]
    public async Task Webhook_BodyLargerThanTheStoredLimit_AppliedAndKeptCutToTheLimit()
    {
        using var app = new WebhookApp();
        app.Settings["Webhooks:MaxStoredPayloadBytes"] = "2048";
        using var client = app.CreateClient();
        var node = JsonNode.Parse(CardGateway(Guid.NewGuid().ToString("N")))!;
        node["payment"]!["extra"] = new string('x', 20_000) + "ü€";

        var response = await app.PostAsync(client, WebhookSource.CardGateway, node.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("applied", answer["outcome"]!.GetValue<string>());
        await using var db = app.Db();
        var stored = (await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == answer["deliveryId"]!.GetValue<long>())).MaskedPayload;
        Assert.InRange(Encoding.UTF8.GetByteCount(stored), 100, 2048);
        var kept = JsonNode.Parse(stored)!;
        Assert.True(kept["truncated"]!.GetValue<bool>());
        Assert.True(kept["bytes"]!.GetValue<int>() > 20_000);
        Assert.StartsWith("{\"payment\":", kept["head"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void StoredPayload_WithinTheLimit_KeptAsIs()
    {
        Assert.Equal("{\"a\":1}", Portal.Webhooks.StoredPayload.Limit("{\"a\":1}", 1024));
        var cut = Portal.Webhooks.StoredPayload.Limit("{\"a\":\"" + new string('"', 5000) + "\"}", 1024);
        Assert.InRange(Encoding.UTF8.GetByteCount(cut), 1, 1024);
    }
}
