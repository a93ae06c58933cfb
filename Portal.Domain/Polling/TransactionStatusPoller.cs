using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <param name="Polled">Attempts this instance claimed and asked the gateway about.</param>
/// <param name="Expired">Still waiting at the gateway past <see cref="StatusPollerOptions.ExpireAfterHours"/>: moved to Expired.</param>
/// <param name="Flagged">No usable answer past that age: flagged for a person and no longer polled.</param>
public sealed record PollResult(int Polled, int Changed, int StillOpen, int Unanswered, int Expired = 0, int Flagged = 0)
{
    public static PollResult operator +(PollResult a, PollResult b) => new(a.Polled + b.Polled, a.Changed + b.Changed,
        a.StillOpen + b.StillOpen, a.Unanswered + b.Unanswered, a.Expired + b.Expired, a.Flagged + b.Flagged);
}

/// <summary>
/// Asks the card gateway about every attempt that is not final yet (Requested, NextAction) and
/// applies what changed. Each batch is CLAIMED in the database first: one conditional update
/// moves the due attempts' next-poll time forward by the backoff (<see cref="PollBackoff"/>) and
/// stamps them with this round's token, so two portal instances never ask about the same attempt
/// in one round and an attempt the gateway keeps leaving open waits longer each time instead of
/// holding back the others. Due attempts go oldest first. Within a batch the gateway is asked
/// with bounded parallelism; each attempt is written in its own context.
/// An attempt whose request got no answer is found by our idempotency key (tracking id), never
/// charged again. A lost answer (Unknown) changes nothing: the attempt is asked again after its backoff.
/// </summary>
public sealed class TransactionStatusPoller
{
    public const int MaxBatchSize = 1000;
    private const string Source = "job:status-poller";

    /// <summary>A charge the gateway has never heard of after this long was never made.</summary>
    public static readonly TimeSpan NotFoundGrace = TimeSpan.FromMinutes(10);

    private static readonly TransactionStatus[] Open = [TransactionStatus.Requested, TransactionStatus.NextAction];

    private readonly IDbContextFactory<DbContext> _dbFactory;
    private readonly IPaymentGateway _gateway;
    private readonly ICardTokenProtector _tokens;
    private readonly TimeProvider _clock;
    private readonly ILogger<TransactionStatusPoller> _logger;
    private readonly IOptions<StatusPollerOptions> _options;
    private readonly IBatchProgress _progress;

    public TransactionStatusPoller(IDbContextFactory<DbContext> dbFactory, IPaymentGateway gateway, ICardTokenProtector tokens,
        TimeProvider clock, ILogger<TransactionStatusPoller> logger, IOptions<StatusPollerOptions> options, IBatchProgress progress)
    {
        _dbFactory = dbFactory;
        _gateway = gateway;
        _tokens = tokens;
        _clock = clock;
        _logger = logger;
        _options = options;
        _progress = progress;
    }

    public TransactionStatusPoller(IDbContextFactory<DbContext> dbFactory, IPaymentGateway gateway, ICardTokenProtector tokens,
        TimeProvider clock, ILogger<TransactionStatusPoller> logger)
        : this(dbFactory, gateway, tokens, clock, logger, Options.Create(new StatusPollerOptions()), NoBatchProgress.Instance)
    {
    }

    private StatusPollerOptions Settings => _options.Value;

    /// <summary>
    /// Claims batches and polls them until nothing is due or <paramref name="budget"/> has passed
    /// (the batch under way is finished). This is what the job runs.
    /// </summary>
    public async Task<PollResult> PollDueAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var until = _clock.GetUtcNow() + budget;
        var total = new PollResult(0, 0, 0, 0);
        while (true)
        {
            var round = await PollAsync(Settings.BatchSize, cancellationToken);
            total += round;
            if (round.Polled == 0 || _clock.GetUtcNow() >= until) return total;
        }
    }

    /// <summary>Claims one batch of due attempts (at most <paramref name="batchSize"/>) and polls them.</summary>
    public async Task<PollResult> PollAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var batch = await ClaimAsync(batchSize, now, cancellationToken);
        if (batch.Count == 0) return new PollResult(0, 0, 0, 0);
        _progress.Claimed(batch.Count);

        var outcomes = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(batch,
            new ParallelOptions { MaxDegreeOfParallelism = Settings.MaxConcurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                outcomes.Add(await PollOneSafelyAsync(id, now, ct));
                _progress.Completed();
            });
        return new PollResult(batch.Count,
            outcomes.Count(o => o == Outcome.Changed), outcomes.Count(o => o == Outcome.StillOpen), outcomes.Count(o => o == Outcome.Unanswered),
            outcomes.Count(o => o == Outcome.Expired), outcomes.Count(o => o == Outcome.Flagged));
    }

    private IQueryable<PaymentTransaction> Due(DbContext db, DateTime now) => db.Set<PaymentTransaction>()
        .Where(t => t.GatewayId == _gateway.Name && Open.Contains(t.Status) && (t.ExternalId1 != null || t.TrackingId != null)
                    && t.PollFlaggedAtUtc == null && (t.NextPollAtUtc == null || t.NextPollAtUtc <= now));

    /// <summary>
    /// Picks the oldest due attempts and claims them with one conditional update (only rows still
    /// due are taken, so an attempt another instance claimed a moment ago is left to it), moving
    /// each one's next poll forward by its backoff. Returns the ids this call claimed.
    /// </summary>
    private async Task<List<string>> ClaimAsync(int batchSize, DateTime now, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid().ToString("N");
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await Due(db, now)
            .OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id)
            .Select(t => t.Id)
            .Take(Math.Clamp(batchSize, 1, MaxBatchSize))
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0) return [];

        DateTime? after1 = now + PollBackoff.After(1), after2 = now + PollBackoff.After(2),
            after3 = now + PollBackoff.After(3), later = now + PollBackoff.After(4);
        await Due(db, now).Where(t => candidates.Contains(t.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PollClaim, claim)
                .SetProperty(t => t.LastPolledAtUtc, now)
                .SetProperty(t => t.PollAttempts, t => t.PollAttempts + 1)
                .SetProperty(t => t.NextPollAtUtc, t => t.PollAttempts == 0 ? after1 : t.PollAttempts == 1 ? after2 : t.PollAttempts == 2 ? after3 : later),
                cancellationToken);
        return await db.Set<PaymentTransaction>()
            .Where(t => t.PollClaim == claim)
            .OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id)
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
    }

    private enum Outcome { Changed, StillOpen, Unanswered, Expired, Flagged }

    private async Task<Outcome> PollOneSafelyAsync(string id, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            return await PollOneAsync(id, now, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A webhook or a person changed the payment meanwhile: the next poll sees the new state.
            return Outcome.StillOpen;
        }
        catch (DomainException ex)
        {
            _logger.LogWarning("Status poll of transaction {TransactionId} not applied: {Reason}", id, ex.Message);
            return Outcome.Unanswered;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One attempt's failure (a busy database, a bug) must not stop the batch; its backoff already moved it on.
            _logger.LogError(ex, "Status poll of transaction {TransactionId} failed", id);
            return Outcome.Unanswered;
        }
    }

    private async Task<Outcome> PollOneAsync(string transactionId, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.PaymentId).SingleAsync(cancellationToken);
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        var t = payment.Transactions.Single(x => x.Id == transactionId);
        if (!Open.Contains(t.Status)) return Outcome.Changed; // settled by a webhook since the claim

        var result = t.ExternalId1 is { } uid
            ? await _gateway.QueryAsync(uid, cancellationToken)
            : await _gateway.QueryByIdempotencyKeyAsync(t.TrackingId!, cancellationToken);
        var overdue = now - t.CreatedAtUtc > Settings.ExpireAfter;

        var before = (t.Status, t.Version);
        switch (result)
        {
            case GatewayResult.Approved approved:
                if (t.ExternalId1 is null) t.SetExternalIds(approved.GatewayTransactionId, t.ExternalId2, t.ExternalId3, Source, now);
                if (approved.Card is { Last4: { Length: 4 } last4 } card && t.Card is null)
                    t.AttachCard(Payments.CardDetails.Create(null, last4, card.Brand, card.ExpiryMonth, card.ExpiryYear), Source, now);
                if (approved.Card?.Token is { } token && t.CardTokenProtected is null)
                    t.StoreProtectedCardToken(_tokens.Protect(token), Source, now);
                t.RecordReportedAmounts(new TransactionAmountsReport(t.RequestedAmount, approved.AmountMinor, t.VoucherAmount, t.NoOfVouchers,
                    approved.AmountMinor, t.RefundedAmount), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Confirmed, Source, now, approved.Message ?? "Approved by the gateway.");
                break;
            case GatewayResult.Declined declined:
                if (declined.GatewayTransactionId is { } declinedId && t.ExternalId1 is null)
                    t.SetExternalIds(declinedId, t.ExternalId2, t.ExternalId3, Source, now);
                t.RecordError(TransactionError.Create(TransactionErrorCode.Declined, declined.Reason, declined.Code), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Failed, Source, now, declined.Reason);
                break;
            case GatewayResult.RequiresAction action:
                t.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, action.GatewayTransactionId, action.RedirectUrl), Source, now);
                break;
            case GatewayResult.NotFound when t.ExternalId1 is null && now - t.CreatedAtUtc > NotFoundGrace:
                t.RecordError(TransactionError.Create(TransactionErrorCode.NotCompleted,
                    "The gateway has no record of this charge: the request never reached it, so nothing was charged."), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Failed, Source, now, "Not found at the gateway.");
                break;
            case GatewayResult.Unknown unknown when overdue:
                return await FlagAsync(db, t, $"No answer from the gateway {Settings.ExpireAfterHours} h after the attempt started ({unknown.Reason}); whether money moved is not known.",
                    cancellationToken);
            case GatewayResult.NotFound when overdue:
                return await FlagAsync(db, t, $"The gateway does not know transaction {t.ExternalId1} {Settings.ExpireAfterHours} h after the attempt started.",
                    cancellationToken);
            case GatewayResult.Unknown unknown:
                _logger.LogInformation("Gateway did not answer about transaction {TransactionId}: {Reason}", transactionId, unknown.Reason);
                return Outcome.Unanswered;
        }

        var expired = false;
        if (Open.Contains(t.Status) && overdue)
        {
            // The gateway still waits (pending, or a 3-D Secure step the customer never finished): abandoned.
            t.RecordError(TransactionError.Create(TransactionErrorCode.NotCompleted,
                $"Not completed within {Settings.ExpireAfterHours} h: the gateway still reported it open."), Source, now);
            t.ChangeStatus(TransactionStatus.Expired, Source, now, $"Still open at the gateway after {Settings.ExpireAfterHours} h.");
            expired = true;
        }

        if (before == (t.Status, t.Version)) return Outcome.StillOpen;
        await db.SaveChangesAsync(cancellationToken);
        if (expired) return Outcome.Expired;
        return before.Status == t.Status ? Outcome.StillOpen : Outcome.Changed;
    }

    private async Task<Outcome> FlagAsync(DbContext db, PaymentTransaction t, string reason, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await db.Set<PaymentTransaction>().Where(x => x.Id == t.Id && x.PollFlaggedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.PollFlaggedAtUtc, now).SetProperty(x => x.PollFlagReason, reason), cancellationToken);
        _logger.LogWarning("Transaction {TransactionId} flagged for a person and no longer polled: {Reason}", t.Id, reason);
        return Outcome.Flagged;
    }
}
