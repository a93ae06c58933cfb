using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Domain.Audit;
using Portal.Domain.Payments;

namespace Portal.Domain.Webhooks;

public enum WebhookIngestOutcome
{
    Applied,
    /// <summary>
    /// Stored and recorded on the payment's history, but the status it reports was refused (a late
    /// "pending" after a final status, say): the transaction did not change.
    /// </summary>
    Refused,
    /// <summary>The same event was received before: nothing changed.</summary>
    Duplicate,
    /// <summary>Stored but could not be applied (e.g. unknown transaction); an admin can reprocess it.</summary>
    Failed,
}

public sealed record WebhookIngestResult(WebhookIngestOutcome Outcome, long DeliveryId, string? PaymentId, string? Message);

/// <summary>
/// Stores an inbound event and applies it to the payment in ONE database transaction. The
/// delivery row's unique (source, event key) makes a replay fail to insert, so parallel replays
/// of the same callback produce exactly one change. An event that cannot be applied is kept as
/// Failed (with the reason) so nothing is lost, and can be reprocessed.
/// </summary>
public sealed class WebhookIngestion(
    IDbContextFactory<DbContext> dbFactory,
    AuditTrail audit,
    ICardTokenProtector tokens,
    TimeProvider clock,
    ILogger<WebhookIngestion> logger)
{
    private readonly InboundEventApplier _applier = new(tokens);

    /// <summary>Raised after an event changed a payment (for live page updates).</summary>
    public event Action<string>? PaymentChanged;

    public async Task<WebhookIngestResult> IngestAsync(InboundPaymentEvent e, string maskedPayload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A replay is expected traffic: look before inserting, so it is answered without a failed
            // INSERT (which EF logs as an error). The transaction holds SQLite's write lock from its
            // start, so no other writer can store the same key between the look and the insert; on
            // a server database the unique index still stops a racing twin (caught below).
            if (await db.Set<WebhookDelivery>().AnyAsync(d => d.Source == e.Source && d.EventKey == e.EventKey, cancellationToken))
            {
                await tx.RollbackAsync(cancellationToken);
                return await DuplicateAsync(e, cancellationToken) ?? throw new InvalidOperationException("The webhook delivery seen a moment ago is gone.");
            }
            var delivery = new WebhookDelivery(e.Source, e.EventKey, e.ExternalTransactionId, e.ReportedStatus, maskedPayload, now);
            db.Add(delivery);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                await tx.RollbackAsync(cancellationToken);
                return await DuplicateAsync(e, cancellationToken) ?? throw new InvalidOperationException("Storing the webhook delivery failed.");
            }

            try
            {
                var (payment, note, refused) = await _applier.ApplyAsync(db, e, now, cancellationToken);
                delivery.MarkApplied(payment.Id, now, note);
                audit.Record(db, Actor.Webhook(e.Source.ToString().ToLowerInvariant()), "webhook.applied", "webhook", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    paymentId: payment.Id, after: new { Reported = e.Status.ToString(), e.ExternalTransactionId, PaymentStatus = payment.Status.ToString() }, amountAfter: e.AmountMinor, currency: e.Currency, details: note);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                PaymentChanged?.Invoke(payment.Id);
                return new WebhookIngestResult(refused ? WebhookIngestOutcome.Refused : WebhookIngestOutcome.Applied, delivery.Id, payment.Id, note);
            }
            catch (Exception ex) when (WebhookFailures.IsStorable(ex))
            {
                await tx.RollbackAsync(cancellationToken);
                // Ids that are card numbers were refused by the parsers; reasons are masked all the same.
                var reason = PayloadMasker.MaskText(ex.Message);
                var kind = WebhookFailures.Classify(ex);
                logger.LogWarning("Webhook {Source} event {EventKey} could not be applied ({FailureKind}): {Reason}", e.Source, e.EventKey, kind, reason);
                return await StoreFailedAsync(e, maskedPayload, now, reason, kind, cancellationToken);
            }
        }
    }

    /// <summary>Applies a stored Failed delivery again (admin's "Reprocess").</summary>
    public async Task<WebhookIngestResult> ReprocessAsync(long deliveryId, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var delivery = await db.Set<WebhookDelivery>().SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken)
                       ?? throw new DomainException($"Webhook delivery {deliveryId} does not exist.");
        if (delivery.Status != WebhookDeliveryStatus.Failed)
            throw new DomainException($"Webhook delivery {deliveryId} is {delivery.Status}; only a failed one can be reprocessed.");

        InboundPaymentEvent e;
        try
        {
            using var document = JsonDocument.Parse(delivery.MaskedPayload);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("truncated", out var cut) && cut.ValueKind == JsonValueKind.True)
                throw new DomainException(
                    $"Webhook delivery {deliveryId} was larger than the stored-payload limit (Webhooks:MaxStoredPayloadBytes) and only its beginning was kept: it cannot be reprocessed from the stored copy.");
            e = Parse(delivery.Source, document.RootElement);
        }
        catch (InboundValidationException ex)
        {
            // Stored before a validation rule was added: the event cannot be applied as it stands.
            throw new DomainException(PayloadMasker.MaskText(
                $"Webhook delivery {deliveryId} is not a valid event by today's rules: {string.Join(" ", ex.Errors)}"));
        }
        if (delivery.EventKey != e.EventKey)
        {
            // Stored under an older key rule: the event may have arrived again since, under today's key.
            var since = await db.Set<WebhookDelivery>().AsNoTracking()
                .Where(d => d.Source == delivery.Source && d.EventKey == e.EventKey).Select(d => (long?)d.Id).SingleOrDefaultAsync(cancellationToken);
            if (since is { } other)
                throw new DomainException(
                    $"Webhook delivery {deliveryId} is the same event as delivery {other}, received since; it is not applied a second time.");
            delivery.Rekey(e.EventKey);
        }
        try
        {
            var (payment, note, refused) = await _applier.ApplyAsync(db, e, now, cancellationToken);
            delivery.MarkApplied(payment.Id, now, note);
            audit.Record(db, actor, "webhook.reprocessed", "webhook", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                paymentId: payment.Id, details: note);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            PaymentChanged?.Invoke(payment.Id);
            return new WebhookIngestResult(refused ? WebhookIngestOutcome.Refused : WebhookIngestOutcome.Applied, delivery.Id, payment.Id, note);
        }
        catch (Exception ex) when (WebhookFailures.IsStorable(ex))
        {
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var reason = PayloadMasker.MaskText(ex.Message);
            var error = reason.Length > 2000 ? reason[..2000] : reason;
            WebhookFailureKind? kind = WebhookFailures.Classify(ex);
            var permanent = kind == WebhookFailureKind.Permanent;
            // A permanent failure is not retried by the job; a transient one keeps the retry time its claim set.
            await db.Set<WebhookDelivery>().Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Error, error)
                .SetProperty(d => d.ProcessedAtUtc, now)
                .SetProperty(d => d.FailureKind, kind)
                .SetProperty(d => d.NextRetryAtUtc, d => permanent ? (DateTime?)null : d.NextRetryAtUtc)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
            await using var auditDb = await dbFactory.CreateDbContextAsync(cancellationToken);
            audit.Record(auditDb, actor, "webhook.reprocess-failed", "webhook", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture), details: reason);
            await auditDb.SaveChangesAsync(cancellationToken);
            return new WebhookIngestResult(WebhookIngestOutcome.Failed, delivery.Id, delivery.PaymentId, reason);
        }
    }

    public static InboundPaymentEvent Parse(WebhookSource source, JsonElement root) => source switch
    {
        WebhookSource.Vcc => VccCallbackParser.Parse(root),
        WebhookSource.EComCharge => EComChargeNotificationParser.Parse(root),
        _ => CardGatewayCallbackParser.Parse(root),
    };

    private async Task<WebhookIngestResult> StoreFailedAsync(InboundPaymentEvent e, string maskedPayload, DateTime now, string error,
        WebhookFailureKind kind, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<WebhookDelivery>().AnyAsync(d => d.Source == e.Source && d.EventKey == e.EventKey, cancellationToken))
            return await DuplicateAsync(e, cancellationToken) ?? throw new InvalidOperationException("The webhook delivery seen a moment ago is gone.");
        var delivery = new WebhookDelivery(e.Source, e.EventKey, e.ExternalTransactionId, e.ReportedStatus, maskedPayload, now);
        delivery.MarkFailed(error, now, kind: kind, retryAtUtc: now + WebhookRetry.Backoff(1));
        db.Add(delivery);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return await DuplicateAsync(e, cancellationToken) ?? throw new InvalidOperationException("Storing the webhook delivery failed.");
        }
        return new WebhookIngestResult(WebhookIngestOutcome.Failed, delivery.Id, null, error);
    }

    /// <summary>
    /// After a failed insert: the unique (source, event key) row that beat us, with the replay
    /// counted on it, or null if the failure was something else.
    /// </summary>
    private async Task<WebhookIngestResult?> DuplicateAsync(InboundPaymentEvent e, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var same = db.Set<WebhookDelivery>().Where(d => d.Source == e.Source && d.EventKey == e.EventKey);
        if (await same.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Replays, d => d.Replays + 1)
                .SetProperty(d => d.LastReplayAtUtc, now), cancellationToken) == 0)
            return null;
        var existing = await same.AsNoTracking().Select(d => new { d.Id, d.PaymentId, d.Replays, d.Status }).SingleAsync(cancellationToken);
        if (existing.Status == WebhookDeliveryStatus.Failed)
            return new WebhookIngestResult(WebhookIngestOutcome.Duplicate, existing.Id, existing.PaymentId,
                "Already received, and not applied: an admin can reprocess it on the Webhooks page.");
        if (!WebhookDelivery.MayHideASecondRefund(e.Source, e.EventKey, existing.Status, existing.Replays))
            return new WebhookIngestResult(WebhookIngestOutcome.Duplicate, existing.Id, existing.PaymentId, "Already received.");

        logger.LogWarning(
            "Card-gateway refund of {Amount} {Currency} on transaction {ExternalTransactionId} received again ({Replays} time(s)): a replay, or a second refund of the same amount, which the callback cannot tell apart; delivery {DeliveryId} is flagged for a check",
            e.AmountMinor, e.Currency, e.ExternalTransactionId, existing.Replays, existing.Id);
        return new WebhookIngestResult(WebhookIngestOutcome.Duplicate, existing.Id, existing.PaymentId,
            "Already received: a refund of this amount on this transaction was recorded before. If the gateway refunded the same amount twice, " +
            "the second refund is not recorded; the delivery is flagged on the Webhooks page for a check against the gateway's records.");
    }
}
