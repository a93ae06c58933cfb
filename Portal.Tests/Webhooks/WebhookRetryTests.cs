using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>The webhook-retry job's service on real SQLite: transient failures are tried again with backoff, permanent ones never.</summary>
public sealed class WebhookRetryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);

    public void Dispose() => _db.Dispose();

    private WebhookIngestion Ingestion() => new(_db, new AuditTrail(_clock), new PlainTokens(), _clock, NullLogger<WebhookIngestion>.Instance);

    private WebhookRetry Retry(int maxAttempts = 6) => new(_db, Ingestion(), _clock,
        Options.Create(new WebhookRetryOptions { MaxAttempts = maxAttempts }), NullLogger<WebhookRetry>.Instance);

    /// <summary>An eComCharge notification (spec 001's transaction format, card data already masked) about <paramref name="uid"/>.</summary>
    private static string Notification(string uid) =>
        "{\"transaction\":{\"uid\":\"" + uid + "\",\"status\":\"successful\",\"message\":\"Successfully processed\",\"amount\":100,\"currency\":\"USD\"," +
        "\"type\":\"payment\",\"tracking_id\":\"trk-" + uid + "\",\"credit_card\":{\"brand\":\"visa\",\"last_4\":\"0000\",\"exp_month\":5,\"exp_year\":2030,\"token\":\"***\"}}}";

    private async Task<WebhookIngestResult> ReceiveAsync(string uid)
    {
        var payload = Notification(uid);
        using var document = JsonDocument.Parse(payload);
        return await Ingestion().IngestAsync(EComChargeNotificationParser.Parse(document.RootElement), payload, CancellationToken.None);
    }

    /// <summary>The charge the notification reports on, as the portal records it when it starts one.</summary>
    private async Task<string> SeedChargeAsync(string uid, Currency currency)
    {
        var payment = Payment.Create(new NewPayment { Currency = currency, Source = PaymentSource.Portal, CreatedAtUtc = Start.UtcDateTime.AddMinutes(-10) });
        payment.AddLine(new NewPaymentLine { UnitAmount = 100 });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = Start.UtcDateTime.AddMinutes(-10),
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            Status = TransactionStatus.Requested,
            RequestedAmount = 100,
            ExternalId1 = uid,
        }, "test");
        await using var db = _db.CreateDbContext();
        db.Add(payment);
        await db.SaveChangesAsync();
        return t.Id;
    }

    private async Task<WebhookDelivery> DeliveryAsync(long id)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<WebhookDelivery>().AsNoTracking().SingleAsync(d => d.Id == id);
    }

    // Never a run of more than three digits: a random all-digit uid can be Luhn-valid and is then refused as a card number.
    private static string Uid() => "rt-" + string.Concat(Guid.NewGuid().ToString("N")[..12].Select((c, i) => i % 4 == 3 ? 'x' : c));

    [Fact]
    public async Task Retry_UnknownChargeRecordedLater_TransientAppliedOnceItsBackoffHasPassed()
    {
        var uid = Uid();
        var received = await ReceiveAsync(uid);
        Assert.Equal(WebhookIngestOutcome.Failed, received.Outcome);
        var failed = await DeliveryAsync(received.DeliveryId);
        Assert.Equal(WebhookFailureKind.Transient, failed.FailureKind);
        Assert.Equal(Start.UtcDateTime.AddMinutes(1), failed.NextRetryAtUtc);

        var transactionId = await SeedChargeAsync(uid, Currency.USD);
        // Not before its backoff.
        Assert.Equal(0, (await Retry().RetryDueAsync(default)).Claimed);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var result = await Retry().RetryDueAsync(default);

        Assert.Equal((1, 1), (result.Claimed, result.Applied));
        var applied = await DeliveryAsync(received.DeliveryId);
        Assert.Equal(WebhookDeliveryStatus.Applied, applied.Status);
        Assert.Null(applied.FailureKind);
        await using var db = _db.CreateDbContext();
        Assert.Equal(TransactionStatus.Confirmed, await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.Status).SingleAsync());
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "webhook.reprocessed" && a.ActorName == WebhookRetry.JobName));
    }

    [Fact]
    public async Task Retry_CurrencyMismatch_PermanentNeverTriedByTheJob()
    {
        var uid = Uid();
        await SeedChargeAsync(uid, Currency.EUR);
        var received = await ReceiveAsync(uid);

        var failed = await DeliveryAsync(received.DeliveryId);
        Assert.Equal(WebhookDeliveryStatus.Failed, failed.Status);
        Assert.Equal(WebhookFailureKind.Permanent, failed.FailureKind);
        Assert.Null(failed.NextRetryAtUtc);
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await Retry().RetryDueAsync(default)).Claimed);
        Assert.Equal(1, (await DeliveryAsync(received.DeliveryId)).Attempts);
    }

    [Fact]
    public async Task Retry_StaysUnknown_TriedWithBackoffAtMostMaxAttemptsThenLeftToAPerson()
    {
        var received = await ReceiveAsync(Uid());
        var retry = Retry(maxAttempts: 3);
        var tries = new List<double>();
        for (var minute = 0; minute <= 180; minute++)
        {
            var r = await retry.RetryDueAsync(default);
            if (r.Claimed > 0) tries.Add(minute);
            if (r.GaveUp > 0) Assert.Equal(3, tries.Count);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // First failure at 0; tries after 1 min, then 5 min, then 15 min; then no more.
        Assert.Equal([1, 6, 21], tries);
        var delivery = await DeliveryAsync(received.DeliveryId);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(3, delivery.AutoRetries);
        Assert.Equal(4, delivery.Attempts);
        Assert.Null(delivery.NextRetryAtUtc);
    }

    [Fact]
    public async Task Retry_TwoInstancesAtOnce_EachDeliveryTriedOnce()
    {
        var ids = new List<long>();
        for (var i = 0; i < 20; i++) ids.Add((await ReceiveAsync(Uid())).DeliveryId);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var results = await Task.WhenAll(Task.Run(() => Retry().RetryDueAsync(default)), Task.Run(() => Retry().RetryDueAsync(default)));

        Assert.Equal(20, results.Sum(r => r.Claimed));
        foreach (var id in ids)
            Assert.Equal((1, 2), ((await DeliveryAsync(id)).AutoRetries, (await DeliveryAsync(id)).Attempts));
    }

    [Fact]
    public void Classify_TransientAndPermanentFailures()
    {
        Assert.Equal(WebhookFailureKind.Transient, WebhookFailures.Classify(new UnknownPaymentException("no such payment yet")));
        Assert.Equal(WebhookFailureKind.Transient, WebhookFailures.Classify(new DbUpdateConcurrencyException("changed meanwhile")));
        Assert.Equal(WebhookFailureKind.Transient, WebhookFailures.Classify(
            new DbUpdateException("save failed", new Microsoft.Data.Sqlite.SqliteException("SQLite Error 5: 'database is locked'.", 5))));
        Assert.Equal(WebhookFailureKind.Permanent, WebhookFailures.Classify(
            new DbUpdateException("save failed", new Microsoft.Data.Sqlite.SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19))));
        Assert.Equal(WebhookFailureKind.Permanent, WebhookFailures.Classify(new Portal.Domain.DomainException("currency mismatch")));
    }

    private sealed class PlainTokens : ICardTokenProtector
    {
        public string Protect(string token) => "protected:" + token;

        public string Unprotect(string protectedToken) => protectedToken["protected:".Length..];
    }
}
