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

    /// <summary>
    /// Claims one batch of due attempts (at most <paramref name="batchSize"/>) and polls them: the
    /// gateway is asked about all of them with bounded parallelism; only the attempts whose answer
    /// changes something are loaded and written, a few payments per context and transaction (one
    /// concurrency conflict sends that group back to one write per attempt).
    /// </summary>
    public async Task<PollResult> PollAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var batch = await ClaimAsync(batchSize, now, cancellationToken);
        if (batch.Count == 0) return new PollResult(0, 0, 0, 0);
        _progress.Claimed(batch.Count);

        var answers = new GatewayResult[batch.Count];
        var outcomes = new Outcome?[batch.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Settings.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, ct) =>
        {
            var item = batch[i];
            try
            {
                answers[i] = item.ExternalId1 is { } uid
                    ? await _gateway.QueryAsync(uid, ct)
                    : await _gateway.QueryByIdempotencyKeyAsync(item.TrackingId!, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Status query of transaction {TransactionId} failed", item.Id);
                answers[i] = new GatewayResult.Unknown(ex.Message);
            }
            outcomes[i] = WithoutChange(item, answers[i], now);
            if (outcomes[i] is not null) _progress.Completed();
        });

        // Attempts whose answer changes something: applied and written in small groups.
        var toApply = Enumerable.Range(0, batch.Count).Where(i => outcomes[i] is null).ToList();
        await Parallel.ForEachAsync(toApply.Chunk(WriteGroupSize), new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Settings.MaxConcurrency), CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                var applied = await ApplyGroupAsync(group.Select(i => (batch[i], answers[i])).ToList(), now, ct);
                for (var k = 0; k < group.Length; k++)
                {
                    outcomes[group[k]] = applied[k];
                    _progress.Completed();
                }
            });

        return new PollResult(batch.Count,
            outcomes.Count(o => o == Outcome.Changed), outcomes.Count(o => o == Outcome.StillOpen), outcomes.Count(o => o == Outcome.Unanswered),
            outcomes.Count(o => o == Outcome.Expired), outcomes.Count(o => o == Outcome.Flagged));
    }

    /// <summary>Payments loaded and saved together (one context, one transaction) when their answers change them.</summary>
    private const int WriteGroupSize = 25;

    private sealed record Claimed(string Id, string PaymentId, string? ExternalId1, string? TrackingId, DateTime CreatedAtUtc);

    private IQueryable<PaymentTransaction> Due(DbContext db, DateTime now) => db.Set<PaymentTransaction>()
        .Where(t => t.GatewayId == _gateway.Name && Open.Contains(t.Status) && (t.ExternalId1 != null || t.TrackingId != null)
                    && t.PollFlaggedAtUtc == null && (t.NextPollAtUtc == null || t.NextPollAtUtc <= now));

    /// <summary>
    /// Picks the oldest due attempts and claims them with one conditional update (only rows still
    /// due are taken, so an attempt another instance claimed a moment ago is left to it), moving
    /// each one's next poll forward by its backoff. Returns the attempts this call claimed.
    /// </summary>
    private async Task<List<Claimed>> ClaimAsync(int batchSize, DateTime now, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid().ToString("N");
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await Due(db, now)
            .OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id)
            .Select(t => t.Id)
            .Take(Math.Clamp(batchSize, 1, MaxBatchSize))
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0) return [];

        var nextPoll = PollBackoff.NextCheckAfterClaim<PaymentTransaction>(t => t.PollAttempts, now);
        await Due(db, now).Where(t => candidates.Contains(t.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PollClaim, claim)
                .SetProperty(t => t.LastPolledAtUtc, now)
                .SetProperty(t => t.PollAttempts, t => t.PollAttempts + 1)
                .SetProperty(t => t.NextPollAtUtc, nextPoll),
                cancellationToken);
        return await db.Set<PaymentTransaction>()
            .Where(t => t.PollClaim == claim)
            .OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id)
            .Select(t => new Claimed(t.Id, t.PaymentId, t.ExternalId1, t.TrackingId, t.CreatedAtUtc))
            .ToListAsync(cancellationToken);
    }

    private enum Outcome { Changed, StillOpen, Unanswered, Expired, Flagged }

    private bool Overdue(Claimed item, DateTime now) => now - item.CreatedAtUtc > Settings.ExpireAfter;

    /// <summary>The outcome when the answer changes nothing (no need to load the payment), else null.</summary>
    private Outcome? WithoutChange(Claimed item, GatewayResult answer, DateTime now)
    {
        if (Overdue(item, now)) return null; // expired or flagged: written below
        switch (answer)
        {
            case GatewayResult.Unknown unknown:
                _logger.LogInformation("Gateway did not answer about transaction {TransactionId}: {Reason}", item.Id, unknown.Reason);
                return Outcome.Unanswered;
            case GatewayResult.Pending:
            case GatewayResult.NotFound when item.ExternalId1 is not null || now - item.CreatedAtUtc <= NotFoundGrace:
                return Outcome.StillOpen;
            default:
                return null;
        }
    }

    private async Task<Outcome[]> ApplyGroupAsync(List<(Claimed Item, GatewayResult Answer)> group, DateTime now, CancellationToken cancellationToken)
    {
        var outcomes = new Outcome[group.Count];
        if (group.Count > 1)
        {
            try
            {
                await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
                var paymentIds = group.Select(g => g.Item.PaymentId).Distinct().ToList();
                var payments = await db.Set<Payment>().WithAggregate().Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
                var flags = new List<(string Id, string Reason)>();
                for (var k = 0; k < group.Count; k++)
                {
                    var (item, answer) = group[k];
                    var t = payments[item.PaymentId].Transactions.Single(x => x.Id == item.Id);
                    (outcomes[k], var flag) = Apply(t, answer, now, Overdue(item, now));
                    if (flag is not null) flags.Add((item.Id, flag));
                }
                await db.SaveChangesAsync(cancellationToken);
                foreach (var (id, reason) in flags) await FlagAsync(db, id, reason, cancellationToken);
                return outcomes;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One of them changed meanwhile (a concurrency conflict), refused its move, or the write failed:
                // nothing of the group was written; one by one instead, each with its own outcome.
            }
        }
        for (var k = 0; k < group.Count; k++)
            outcomes[k] = await ApplyOneSafelyAsync(group[k].Item, group[k].Answer, now, cancellationToken);
        return outcomes;
    }

    private async Task<Outcome> ApplyOneSafelyAsync(Claimed item, GatewayResult answer, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
            var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == item.PaymentId, cancellationToken);
            var t = payment.Transactions.Single(x => x.Id == item.Id);
            var (outcome, flag) = Apply(t, answer, now, Overdue(item, now));
            await db.SaveChangesAsync(cancellationToken);
            if (flag is not null) await FlagAsync(db, item.Id, flag, cancellationToken);
            return outcome;
        }
        catch (DbUpdateConcurrencyException)
        {
            // A webhook or a person changed the payment meanwhile: the next poll sees the new state.
            return Outcome.StillOpen;
        }
        catch (DomainException ex)
        {
            _logger.LogWarning("Status poll of transaction {TransactionId} not applied: {Reason}", item.Id, ex.Message);
            return Outcome.Unanswered;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One attempt's failure (a busy database, a bug) must not stop the batch; its backoff already moved it on.
            _logger.LogError(ex, "Status poll of transaction {TransactionId} failed", item.Id);
            return Outcome.Unanswered;
        }
    }

    /// <summary>Applies the gateway's answer to the loaded attempt (through its transition rules); returns the outcome and, if it must be flagged, why.</summary>
    private (Outcome Outcome, string? Flag) Apply(PaymentTransaction t, GatewayResult result, DateTime now, bool overdue)
    {
        if (!Open.Contains(t.Status)) return (Outcome.Changed, null); // settled by a webhook since the claim
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
                return (Outcome.Flagged,
                    $"No answer from the gateway {Settings.ExpireAfterHours} h after the attempt started ({unknown.Reason}); whether money moved is not known.");
            case GatewayResult.NotFound when overdue:
                return (Outcome.Flagged, $"The gateway does not know transaction {t.ExternalId1} {Settings.ExpireAfterHours} h after the attempt started.");
            case GatewayResult.Unknown:
                return (Outcome.Unanswered, null);
        }

        if (Open.Contains(t.Status) && overdue)
        {
            // The gateway still waits (pending, or a 3-D Secure step the customer never finished): abandoned.
            t.RecordError(TransactionError.Create(TransactionErrorCode.NotCompleted,
                $"Not completed within {Settings.ExpireAfterHours} h: the gateway still reported it open."), Source, now);
            t.ChangeStatus(TransactionStatus.Expired, Source, now, $"Still open at the gateway after {Settings.ExpireAfterHours} h.");
            return (Outcome.Expired, null);
        }
        if (before == (t.Status, t.Version) || before.Status == t.Status) return (Outcome.StillOpen, null);
        return (Outcome.Changed, null);
    }

    private async Task FlagAsync(DbContext db, string transactionId, string reason, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await db.Set<PaymentTransaction>().Where(x => x.Id == transactionId && x.PollFlaggedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.PollFlaggedAtUtc, now).SetProperty(x => x.PollFlagReason, reason), cancellationToken);
        _logger.LogWarning("Transaction {TransactionId} flagged for a person and no longer polled: {Reason}", transactionId, reason);
    }
}
