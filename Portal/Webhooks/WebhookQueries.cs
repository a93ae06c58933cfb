using Microsoft.EntityFrameworkCore;
using Portal.Domain.Webhooks;
using Portal.Persistence;

namespace Portal.Webhooks;

public sealed record WebhookFilter(WebhookSource? Source, WebhookDeliveryStatus? Status, string? Search);

public sealed record WebhookRow(long Id, WebhookSource Source, string ExternalTransactionId, string? ReportedStatus,
    DateTime ReceivedAtUtc, WebhookDeliveryStatus Status, string? PaymentId, string? Error, int Attempts, string EventKey, int Replays,
    DateTime? LastReplayAtUtc, WebhookFailureKind? FailureKind = null, DateTime? NextRetryAtUtc = null, int AutoRetries = 0)
{
    /// <summary>A failed delivery the webhook-retry job will try again by itself (transient, retries left).</summary>
    public bool RetriesAutomatically => Status == WebhookDeliveryStatus.Failed && FailureKind == WebhookFailureKind.Transient && NextRetryAtUtc is not null;

    /// <summary>A card-gateway refund received more than once: a replay, or a second refund of the same amount (see <see cref="WebhookDelivery.MayHideASecondRefund"/>).</summary>
    public bool NeedsGatewayCheck => WebhookDelivery.MayHideASecondRefund(Source, EventKey, Status, Replays);
}

/// <summary>Read side of the Webhooks page: paged in the database, newest first.</summary>
public sealed class WebhookQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<WebhookRow> Rows, int Total)> ListAsync(WebhookFilter filter, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<WebhookDelivery>().AsNoTracking();
        if (filter.Source is { } source) query = query.Where(d => d.Source == source);
        if (filter.Status is { } status) query = query.Where(d => d.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            query = query.Where(d => d.ExternalTransactionId == term || d.PaymentId == term);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(d => d.ReceivedAtUtc).ThenByDescending(d => d.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(d => new WebhookRow(d.Id, d.Source, d.ExternalTransactionId, d.ReportedStatus, d.ReceivedAtUtc, d.Status,
                d.PaymentId, d.Error, d.Attempts, d.EventKey, d.Replays, d.LastReplayAtUtc, d.FailureKind, d.NextRetryAtUtc, d.AutoRetries))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    public async Task<string?> PayloadAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<WebhookDelivery>().Where(d => d.Id == id).Select(d => d.MaskedPayload).SingleOrDefaultAsync(cancellationToken);
    }
}
