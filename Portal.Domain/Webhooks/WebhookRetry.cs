using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Polling;

namespace Portal.Domain.Webhooks;

/// <summary>Settings under <c>WebhookRetry</c>.</summary>
public sealed class WebhookRetryOptions
{
    public const string Section = "WebhookRetry";

    /// <summary>Tries by the job per delivery, after the failed first one (then it is left to a person on the Webhooks page).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Deliveries claimed per run.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;
}

/// <param name="Claimed">Deliveries this run tried again.</param>
/// <param name="GaveUp">Still failing transiently after the last allowed try: left to a person.</param>
public sealed record WebhookRetryResult(int Claimed, int Applied, int StillTransient, int Permanent, int GaveUp);

/// <summary>
/// Applies again the stored deliveries whose failure was transient (<see cref="WebhookFailures"/>),
/// each after its backoff (1 min, 5 min, 15 min, 1 h, then hourly) and at most
/// <see cref="WebhookRetryOptions.MaxAttempts"/> times. A batch is claimed with one conditional update
/// (only deliveries still due are taken), so two instances never retry the same delivery in one round.
/// A permanent failure is never retried: only a person (Reprocess on the Webhooks page) can act on it.
/// </summary>
public sealed class WebhookRetry(
    IDbContextFactory<DbContext> dbFactory,
    WebhookIngestion ingestion,
    TimeProvider clock,
    IOptions<WebhookRetryOptions> options,
    ILogger<WebhookRetry> logger)
{
    public const string JobName = "webhook-retry";

    /// <summary>The wait after the <paramref name="attempt"/>-th failure before the next try (the poller's schedule).</summary>
    public static TimeSpan Backoff(int attempt) => PollBackoff.After(attempt);

    public async Task<WebhookRetryResult> RetryDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var claim = Guid.NewGuid().ToString("N");
        List<(long Id, int Retries)> batch;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var due = Due(db, now, settings.MaxAttempts);
            var candidates = await due.OrderBy(d => d.NextRetryAtUtc).ThenBy(d => d.Id).Select(d => d.Id)
                .Take(settings.BatchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0) return new WebhookRetryResult(0, 0, 0, 0, 0);
            // The next try's time is set by the claim, so a crash mid-try cannot make it hot.
            DateTime? after1 = now + Backoff(2), after2 = now + Backoff(3), later = now + Backoff(4);
            var last = settings.MaxAttempts;
            await due.Where(d => candidates.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.RetryClaim, claim)
                .SetProperty(d => d.AutoRetries, d => d.AutoRetries + 1)
                .SetProperty(d => d.NextRetryAtUtc, d => d.AutoRetries + 1 >= last ? null
                    : d.AutoRetries == 0 ? after1 : d.AutoRetries == 1 ? after2 : later), cancellationToken);
            batch = (await db.Set<WebhookDelivery>().Where(d => d.RetryClaim == claim).OrderBy(d => d.Id)
                .Select(d => new { d.Id, d.AutoRetries }).ToListAsync(cancellationToken))
                .Select(d => (d.Id, d.AutoRetries)).ToList();
        }

        int applied = 0, transient = 0, permanent = 0, gaveUp = 0;
        var actor = Actor.Job(JobName);
        foreach (var (id, retries) in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WebhookIngestResult result;
            try
            {
                result = await ingestion.ReprocessAsync(id, actor, cancellationToken);
            }
            catch (DomainException ex)
            {
                // Not applicable as it stands (invalid by today's rules, or the same event arrived again since): never again by the job.
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await db.Set<WebhookDelivery>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.FailureKind, WebhookFailureKind.Permanent)
                    .SetProperty(d => d.NextRetryAtUtc, (DateTime?)null), CancellationToken.None);
                logger.LogWarning("Webhook delivery {DeliveryId} will not be retried: {Reason}", id, ex.Message);
                permanent++;
                continue;
            }
            if (result.Outcome == WebhookIngestOutcome.Applied)
            {
                applied++;
                continue;
            }
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var kind = await db.Set<WebhookDelivery>().Where(d => d.Id == id).Select(d => d.FailureKind).SingleAsync(cancellationToken);
                if (kind == WebhookFailureKind.Permanent) permanent++;
                else if (retries >= settings.MaxAttempts)
                {
                    gaveUp++;
                    logger.LogWarning("Webhook delivery {DeliveryId} still fails after {Retries} retries; left for a person: {Reason}", id, retries, result.Message);
                }
                else transient++;
            }
        }
        return new WebhookRetryResult(batch.Count, applied, transient, permanent, gaveUp);
    }

    private static IQueryable<WebhookDelivery> Due(DbContext db, DateTime now, int maxAttempts) => db.Set<WebhookDelivery>()
        .Where(d => d.Status == WebhookDeliveryStatus.Failed && d.FailureKind == WebhookFailureKind.Transient
                    && d.NextRetryAtUtc != null && d.NextRetryAtUtc <= now && d.AutoRetries < maxAttempts);
}
