using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Security;

namespace Portal.Domain.Refunds;

/// <summary>
/// Gives money back, exactly once and never too much, whoever asks (payment page, API, job).
/// <list type="number">
/// <item>A request whose idempotency key is already known returns that refund: no second refund, no second gateway call.</item>
/// <item>Otherwise the amount is reserved by ONE conditional update in the database and the refund
/// is committed as Pending (with its audit entry) BEFORE the gateway is called; no database
/// transaction is held open across the HTTP call.</item>
/// <item>The gateway's answer settles it: Succeeded (the transaction records the refund),
/// Failed (amount freed; a gateway refusal flags the transaction ImpossibleRefund), or, when the
/// answer is lost, PendingVerification, which only <see cref="VerifyOpenRefundsAsync"/> resolves by
/// asking the gateway about the same key.</item>
/// </list>
/// </summary>
public sealed class RefundService(
    IDbContextFactory<DbContext> dbFactory,
    IRefundGateways gateways,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<RefundOptions> options,
    IMoneyMovementGuard moneyMovement,
    ILogger<RefundService> logger)
{
    public const string VerificationJobName = "refund-verification";

    private RefundOptions Options => options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The numbers the refund dialog shows, read fresh.</summary>
    public async Task<RefundQuote> QuoteAsync(string paymentId, string transactionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var info = await LoadTargetAsync(db, paymentId, transactionId, cancellationToken)
                   ?? throw new RefundRefusedException(RefundRefusal.NotFound, $"Payment {paymentId} has no transaction {transactionId}.");
        var attempts = await db.Set<Refund>().CountAsync(r => r.TransactionId == transactionId, cancellationToken);
        gateways.For(info.Target, out var notRefundable);
        var reason = notRefundable
                     ?? (PaymentTransactionRules.IsRefundable(info.Status) ? null : $"The transaction is {info.Status}; only a captured transaction can be refunded.")
                     ?? (attempts >= Options.MaxAttemptsPerTransaction ? AttemptsMessage(transactionId) : null);
        // What a new refund may take right now: nothing when no refund can be made at all.
        var refundable = reason is null ? Math.Max(0, info.Confirmed - info.Refunded - info.Reserved) : 0;
        return new RefundQuote(paymentId, transactionId, info.Currency.Code, info.Status, info.Confirmed, info.Refunded, info.Reserved,
            refundable, attempts, Options.MaxAttemptsPerTransaction, reason);
    }

    /// <summary>
    /// Asks for a refund. Returns the refund (new, or the earlier one with the same key).
    /// </summary>
    /// <exception cref="RefundRefusedException">The request breaks a rule; nothing was sent to the gateway.</exception>
    public async Task<RefundRequestResult> RequestAsync(RequestRefund command, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        try
        {
            return await RequestCoreAsync(command, actor, cancellationToken);
        }
        catch (RefundRefusedException e) when (!e.Audited)
        {
            // Every refused attempt is in the audit log, whichever rule refused it.
            throw await RefusalAsync(actor, command, e.Refusal, e.Message, e.SetupPath);
        }
    }

    /// <summary>
    /// Records a refund refused before it reached this service (e.g. the caller is not an admin)
    /// and returns the exception to throw.
    /// </summary>
    public Task<RefundRefusedException> RefuseAsync(RequestRefund command, Actor actor, RefundRefusal refusal, string message)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        return RefusalAsync(actor, command, refusal, message);
    }

    private async Task<RefundRequestResult> RequestCoreAsync(RequestRefund command, Actor actor, CancellationToken cancellationToken)
    {
        var (key, currency, note) = Validate(command);
        // A person who moves money needs a second factor, whichever page, API or service asks.
        if (await moneyMovement.CheckAsync(actor, cancellationToken) is { } refusal)
            throw new RefundRefusedException(RefundRefusal.SecondFactorRequired, refusal.Message) { SetupPath = refusal.SetupPath };
        var source = SourceOf(actor);

        TargetInfo info;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Set<Refund>().AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken) is { } earlier)
                return Replay(earlier, command);
            info = await LoadTargetAsync(db, command.PaymentId, command.TransactionId, cancellationToken)
                   ?? throw new RefundRefusedException(RefundRefusal.NotFound, $"Payment {command.PaymentId} has no transaction {command.TransactionId}.");
        }

        var gateway = gateways.For(info.Target, out var notRefundable);
        if (info.Currency != currency)
            throw await RefusalAsync(actor, command, RefundRefusal.Invalid,
                $"The refund is in {currency.Code} but transaction {command.TransactionId} is in {info.Currency.Code}: a refund is always in the transaction's currency.");
        if (gateway is null)
            throw await RefusalAsync(actor, command, RefundRefusal.NotSupported, notRefundable ?? "This transaction's gateway cannot refund from the portal.");

        Refund refund;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.Set<Refund>().AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken) is { } earlier)
                return Replay(earlier, command);
            if (!await RefundSettlement.TryReserveAsync(db, command.PaymentId, command.TransactionId, command.AmountMinor,
                    Options.MaxAttemptsPerTransaction, cancellationToken))
            {
                await tx.RollbackAsync(cancellationToken);
                var why = await ExplainRefusalAsync(db, command, currency, cancellationToken);
                throw await RefusalAsync(actor, command, RefundRefusal.Conflict, why);
            }

            refund = new Refund(command.PaymentId, command.TransactionId, command.AmountMinor, currency, command.Reason, note, key,
                info.Target.GatewayId, actor.Id, actor.Name, Now, clock);
            db.Add(refund);
            audit.Record(db, actor, "refund.requested", "refund", refund.Id, command.PaymentId,
                after: new { refund.Status, refund.Amount, Currency = currency.Code, Reason = refund.Reason.ToString(), refund.Note, command.TransactionId, IdempotencyKey = key },
                amountBefore: info.Refunded, amountAfter: null, currency: currency.Code,
                details: $"Refund of {refund.Money} asked for on transaction {command.TransactionId}; reason: {Describe(refund.Reason, note)}.");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another request with the same key won the unique index: answer with its refund.
                await tx.RollbackAsync(CancellationToken.None);
                await using var again = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                var winner = await again.Set<Refund>().AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == key, CancellationToken.None);
                if (winner is null) throw;
                return Replay(winner, command);
            }
        }

        // The refund is committed as Pending: from here on it is only ever settled, never sent again.
        var call = new RefundCall(info.Target, refund.Amount, currency.Code, RefundReasons.ForGateway(refund.Reason, refund.Note), key, info.Refunded);
        GatewayResult result;
        try
        {
            result = await gateway.RefundAsync(call, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Refund {RefundId} call to gateway {GatewayId} threw; left for verification", refund.Id, info.Target.GatewayId);
            result = new GatewayResult.Unknown("the gateway call failed: " + ex.Message);
        }
        var view = await SettleAsync(refund.Id, result, actor, fromQuery: false, CancellationToken.None);
        logger.LogInformation("Refund {RefundId} of {Amount} {Currency} on transaction {TransactionId} by {ActorId}: {Status}",
            view.Id, view.Amount, view.Currency, view.TransactionId, actor.Id, view.Status);
        return new RefundRequestResult(view, Created: true);
    }

    /// <summary>What the verification job runs: one round of <see cref="RefundOptions.VerificationBatchSize"/> refunds.</summary>
    public Task<RefundVerificationResult> VerifyOpenRefundsAsync(CancellationToken cancellationToken = default) =>
        VerifyOpenRefundsAsync(Options.VerificationBatchSize, cancellationToken);

    /// <summary>
    /// The verification job: asks the gateway, by each refund's own idempotency key, about refunds
    /// whose answer was lost (PendingVerification) or whose process died mid-call (Pending for too
    /// long). Never sends a refund. The due ones are CLAIMED first, oldest first, at most
    /// <paramref name="batchSize"/>, by one conditional update that stamps this round's token and
    /// moves each one's next check forward by the poller's backoff (1 min, 5, 15, then hourly):
    /// two portal instances never ask about the same refund in one round, and a refund the gateway
    /// keeps silent about waits longer each time instead of holding back the others. One still
    /// open past <see cref="RefundOptions.FlagAfterHours"/> is flagged for a person, never failed.
    /// </summary>
    public async Task<RefundVerificationResult> VerifyOpenRefundsAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var batch = await ClaimOpenRefundsAsync(batchSize, Now, cancellationToken);

        int succeeded = 0, failed = 0, pending = 0, flagged = 0;
        var actor = Actor.Job(VerificationJobName);
        foreach (var (id, createdAtUtc) in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                switch ((await VerifyOneAsync(id, actor, cancellationToken)).Status)
                {
                    case RefundStatus.Succeeded: succeeded++; break;
                    case RefundStatus.Failed: failed++; break;
                    default:
                        if (Now - createdAtUtc > TimeSpan.FromHours(Options.FlagAfterHours) && await FlagForPersonAsync(id, actor, cancellationToken)) flagged++;
                        else pending++;
                        break;
                }
            }
            catch (Exception ex) when (ex is DomainException or DbUpdateException)
            {
                // Someone settled it meanwhile, or a rule refused: the next check (after its backoff) looks again.
                logger.LogWarning("Verification of refund {RefundId} not applied: {Reason}", id, ex.Message);
                pending++;
            }
        }
        return new RefundVerificationResult(batch.Count, succeeded, failed, pending, flagged);
    }

    private IQueryable<Refund> DueForVerification(DbContext db, DateTime now)
    {
        var stale = now.AddSeconds(-Options.StalePendingSeconds);
        return db.Set<Refund>().Where(r => r.FlaggedAtUtc == null
            && (r.Status == RefundStatus.PendingVerification || (r.Status == RefundStatus.Pending && r.CreatedAtUtc < stale))
            && (r.NextCheckAtUtc == null || r.NextCheckAtUtc <= now));
    }

    /// <summary>
    /// Picks the oldest due refunds and claims them with one conditional update (only rows still due
    /// are taken, so a refund another instance claimed a moment ago is left to it). The next check is
    /// set by the claim, so a crash mid-query cannot make a refund hot. Returns what this call claimed.
    /// </summary>
    private async Task<List<(string Id, DateTime CreatedAtUtc)>> ClaimOpenRefundsAsync(int batchSize, DateTime now, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid().ToString("N");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await DueForVerification(db, now)
            .OrderBy(r => r.CreatedAtUtc).ThenBy(r => r.Id)
            .Select(r => r.Id)
            .Take(Math.Clamp(batchSize, 1, 1000))
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0) return [];

        var nextCheck = Polling.PollBackoff.NextCheckAfterClaim<Refund>(r => r.CheckAttempts, now);
        await DueForVerification(db, now).Where(r => candidates.Contains(r.Id))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.CheckClaim, claim)
                .SetProperty(r => r.CheckAttempts, r => r.CheckAttempts + 1)
                .SetProperty(r => r.NextCheckAtUtc, nextCheck), cancellationToken);
        return (await db.Set<Refund>().AsNoTracking()
                .Where(r => r.CheckClaim == claim)
                .OrderBy(r => r.CreatedAtUtc).ThenBy(r => r.Id)
                .Select(r => new { r.Id, r.CreatedAtUtc })
                .ToListAsync(cancellationToken))
            .Select(r => (r.Id, r.CreatedAtUtc)).ToList();
    }

    /// <summary>
    /// Flags a refund still open past its age for a person (audited) and stops the job asking about
    /// it. Its amount stays reserved: without the gateway's answer nobody knows whether money moved.
    /// </summary>
    private async Task<bool> FlagForPersonAsync(string refundId, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var refund = await db.Set<Refund>().SingleAsync(r => r.Id == refundId, cancellationToken);
        if (!refund.IsOpen || refund.FlaggedAtUtc is not null) return false;
        var reason = $"No outcome from the gateway {Options.FlagAfterHours} h after the refund was asked for (last answer: {refund.GatewayMessage ?? "none"}). " +
                     "Its amount stays reserved until someone finds out at the gateway whether it was refunded.";
        refund.FlagForPerson(reason, Now);
        Audit(db, actor, "refund.flagged", refund, null, null, $"Refund of {refund.Money} flagged for a person: {reason}");
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogWarning("Refund {RefundId} flagged for a person and no longer verified by the job: {Reason}", refundId, reason);
        return true;
    }

    /// <summary>Asks the gateway about one open refund (by its key) and settles it from the answer.</summary>
    public async Task<RefundView> VerifyOneAsync(string refundId, Actor actor, CancellationToken cancellationToken = default)
    {
        Refund refund;
        TargetInfo info;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            refund = await db.Set<Refund>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == refundId, cancellationToken)
                     ?? throw new RefundRefusedException(RefundRefusal.NotFound, $"There is no refund {refundId}.");
            if (!refund.IsOpen) return RefundView.From(refund);
            info = await LoadTargetAsync(db, refund.PaymentId, refund.TransactionId, cancellationToken)
                   ?? throw new InvalidOperationException($"Refund {refundId} points at a missing transaction.");
        }
        var gateway = gateways.For(info.Target, out var reason)
                      ?? throw new RefundRefusedException(RefundRefusal.NotSupported, reason ?? "The gateway cannot be asked about this refund.");
        var call = new RefundCall(info.Target, refund.Amount, refund.Currency.Code, RefundReasons.ForGateway(refund.Reason, refund.Note),
            refund.IdempotencyKey, info.Refunded);
        GatewayResult result;
        try
        {
            result = await gateway.QueryAsync(call, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Query about refund {RefundId} threw", refundId);
            result = new GatewayResult.Unknown("the gateway query failed: " + ex.Message);
        }
        return await SettleAsync(refundId, result, actor, fromQuery: true, cancellationToken);
    }

    /// <summary>Applies a gateway answer to an open refund in one database transaction; an already settled refund is left alone.</summary>
    private async Task<RefundView> SettleAsync(string refundId, GatewayResult result, Actor actor, bool fromQuery, CancellationToken cancellationToken)
    {
        var now = Now;
        var source = SourceOf(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var refund = await db.Set<Refund>().SingleAsync(r => r.Id == refundId, cancellationToken);
        if (!refund.IsOpen) return RefundView.From(refund); // a notification or the job settled it first

        var wasPending = refund.Status == RefundStatus.Pending;
        switch (result)
        {
            case GatewayResult.Approved approved:
            {
                var (before, after) = await RefundSettlement.SucceedAsync(db, refund, approved.GatewayTransactionId,
                    approved.Message ?? "Refunded by the gateway.", source, now, cancellationToken);
                Audit(db, actor, "refund.succeeded", refund, before, after,
                    $"Refund of {refund.Money} succeeded{(fromQuery ? " (confirmed by asking the gateway)" : "")}; gateway refund {approved.GatewayTransactionId}.");
                break;
            }
            case GatewayResult.Declined declined:
                // Only a hard decline says the attempt cannot be refunded; a soft one (try later) leaves it as it was.
                await RefundSettlement.FailAsync(db, refund, declined.GatewayTransactionId, declined.Reason, gatewayRefused: declined.IsHardDecline,
                    source, now, cancellationToken);
                Audit(db, actor, "refund.failed", refund, null, null,
                    $"Refund of {refund.Money} refused by the gateway{(declined.IsHardDecline ? "" : " for now (soft decline)")}: {declined.Reason}. The amount is free again.");
                break;
            case GatewayResult.NotFound when fromQuery && now - refund.CreatedAtUtc >= TimeSpan.FromMinutes(Options.NotFoundGraceMinutes):
                await RefundSettlement.FailAsync(db, refund, null,
                    "The gateway has no record of this refund: the request never reached it, so nothing was refunded.",
                    gatewayRefused: false, source, now, cancellationToken);
                Audit(db, actor, "refund.failed", refund, null, null,
                    $"Refund of {refund.Money} failed: unknown to the gateway after {Options.NotFoundGraceMinutes} minutes. The amount is free again.");
                break;
            case GatewayResult.NotFound:
                if (wasPending) refund.MarkPendingVerification(null, "Not found at the gateway yet; asking again later.", now);
                else refund.MarkChecked(now);
                break;
            default:
            {
                var message = result switch
                {
                    GatewayResult.Unknown u => $"No answer from the gateway ({u.Reason}); the outcome will be asked for by the refund's key.",
                    GatewayResult.Pending p => "The gateway has not decided yet" + (p.Message is null ? "." : $": {p.Message}"),
                    _ => $"Unexpected answer from the gateway ({result.GetType().Name}); the outcome will be asked for by the refund's key.",
                };
                var refundIdAtGateway = result switch
                {
                    GatewayResult.Pending p => p.GatewayTransactionId,
                    _ => null,
                };
                if (wasPending)
                {
                    refund.MarkPendingVerification(refundIdAtGateway, message, now);
                    Audit(db, actor, "refund.pending-verification", refund, null, null, $"Refund of {refund.Money}: {message}");
                }
                else
                {
                    refund.MarkChecked(now);
                }
                break;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return RefundView.From(refund);
    }

    private void Audit(DbContext db, Actor actor, string action, Refund refund, long? before, long? after, string details) =>
        audit.Record(db, actor, action, "refund", refund.Id, refund.PaymentId,
            after: new { Status = refund.Status.ToString(), refund.Amount, Currency = refund.Currency.Code, refund.GatewayRefundId, refund.GatewayMessage, refund.TransactionId },
            amountBefore: before, amountAfter: after, currency: refund.Currency.Code, details: details);

    /// <summary>"60.00 EUR" when the currency is known; the raw figures otherwise (a refused command may carry any text).</summary>
    private static string Describe(long amountMinor, string? currency) =>
        Currency.TryParse(currency, out var known) ? new Money.Money(amountMinor, known).ToString() : $"{amountMinor} (minor units) {currency}";

    /// <summary>Audits a refused attempt (who, when, amount, reason, why refused) and returns the exception to throw.</summary>
    private async Task<RefundRefusedException> RefusalAsync(Actor actor, RequestRefund command, RefundRefusal refusal, string message, string? setupPath = null)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so the count below cannot be raced.
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            // At most MaxAuditedRefusalsPerUser refusal rows per person per window: someone retrying
            // refused refunds in a loop cannot grow the append-only audit table without bound.
            var since = Now.AddMinutes(-Options.RefusalAuditWindowMinutes);
            var audited = await db.Set<AuditEntry>().CountAsync(
                e => e.ActorId == actor.Id && e.OccurredAtUtc >= since && e.Action == RefusedAction, CancellationToken.None);
            if (audited >= Options.MaxAuditedRefusalsPerUser)
            {
                logger.LogWarning("Refund on transaction {TransactionId} by {ActorId} refused ({Refusal}): {Reason}. Not audited: {Count} refusals of theirs are already in the audit log within {Minutes} minutes",
                    command.TransactionId, actor.Id, refusal, message, audited, Options.RefusalAuditWindowMinutes);
                return new RefundRefusedException(refusal, message) { Audited = true, SetupPath = setupPath };
            }
            var last = audited == Options.MaxAuditedRefusalsPerUser - 1
                ? $" Further refusals for {actor.Name} within {Options.RefusalAuditWindowMinutes} minutes are only logged."
                : "";
            var exists = !string.IsNullOrEmpty(command.PaymentId) && await db.Set<Payment>().AnyAsync(p => p.Id == command.PaymentId, CancellationToken.None);
            audit.Record(db, actor, RefusedAction, "transaction", Clip(command.TransactionId, 200) ?? "", exists ? command.PaymentId : null,
                after: new { command.AmountMinor, Currency = Clip(command.Currency, 10), Reason = command.Reason.ToString(), Note = Clip(NormalizeNote(command.Note), Refund.MaxNoteLength),
                    IdempotencyKey = Clip(command.IdempotencyKey, Refund.MaxKeyLength) },
                amountAfter: command.AmountMinor, currency: Currency.TryParse(command.Currency, out var known) ? known.Code : null,
                details: $"Refund of {Describe(command.AmountMinor, Clip(command.Currency, 10))} refused: {message}{last}");
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not audit a refused refund on transaction {TransactionId}", command.TransactionId);
        }
        logger.LogInformation("Refund on transaction {TransactionId} by {ActorId} refused ({Refusal}): {Reason}",
            command.TransactionId, actor.Id, refusal, message);
        return new RefundRefusedException(refusal, message) { Audited = true, SetupPath = setupPath };
    }

    private const string RefusedAction = "refund.refused";

    private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private async Task<string> ExplainRefusalAsync(DbContext db, RequestRefund command, Currency currency, CancellationToken cancellationToken)
    {
        var info = await LoadTargetAsync(db, command.PaymentId, command.TransactionId, cancellationToken);
        if (info is null) return $"Payment {command.PaymentId} has no transaction {command.TransactionId}.";
        if (!PaymentTransactionRules.IsRefundable(info.Status))
            return $"Transaction {command.TransactionId} is {info.Status}; nothing on it can be refunded.";
        var attempts = await db.Set<Refund>().CountAsync(r => r.TransactionId == command.TransactionId, cancellationToken);
        if (attempts >= Options.MaxAttemptsPerTransaction) return AttemptsMessage(command.TransactionId);
        var available = Math.Max(0, info.Confirmed - info.Refunded - info.Reserved);
        return $"A refund of {new Money.Money(command.AmountMinor, currency)} is more than the {new Money.Money(available, currency)} still refundable on transaction {command.TransactionId} " +
               $"(confirmed {new Money.Money(info.Confirmed, currency)}, refunded {new Money.Money(info.Refunded, currency)}, pending refunds {new Money.Money(info.Reserved, currency)}).";
    }

    private string AttemptsMessage(string transactionId) =>
        $"Transaction {transactionId} has had {Options.MaxAttemptsPerTransaction} refund attempts, the most allowed (failed attempts count).";

    private static RefundRequestResult Replay(Refund earlier, RequestRefund command)
    {
        if (earlier.PaymentId != command.PaymentId || earlier.TransactionId != command.TransactionId
            || earlier.Amount != command.AmountMinor || !string.Equals(earlier.Currency.Code, command.Currency.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new RefundRefusedException(RefundRefusal.Conflict,
                $"This request's idempotency key was already used for refund {earlier.Id} of {earlier.Money} on transaction {earlier.TransactionId}: " +
                "a different refund needs a new key (close the dialog and open it again).");
        // The reason and note are part of what was asked (and audited): the same key with other words is another request.
        var note = NormalizeNote(command.Note);
        if (earlier.Reason != command.Reason || !string.Equals(earlier.Note, note, StringComparison.Ordinal))
            throw new RefundRefusedException(RefundRefusal.Conflict,
                $"This request's idempotency key was already used for refund {earlier.Id} with reason {Describe(earlier.Reason, earlier.Note)}: " +
                "a refund with another reason or note needs a new key (close the dialog and open it again).");
        return new RefundRequestResult(RefundView.From(earlier), Created: false);
    }

    private static (string Key, Currency Currency, string? Note) Validate(RequestRefund c)
    {
        if (string.IsNullOrWhiteSpace(c.PaymentId) || string.IsNullOrWhiteSpace(c.TransactionId))
            throw new RefundRefusedException(RefundRefusal.Invalid, "Say which payment and transaction to refund.");
        if (c.AmountMinor <= 0)
            throw new RefundRefusedException(RefundRefusal.Invalid, $"A refund must be more than 0; {c.AmountMinor} was asked for.");
        if (!Currency.TryParse(c.Currency, out var currency))
            throw new RefundRefusedException(RefundRefusal.Invalid, $"'{c.Currency}' is not a known ISO 4217 currency.");
        if (!Enum.IsDefined(c.Reason))
            throw new RefundRefusedException(RefundRefusal.Invalid, "Choose a reason for the refund.");
        var note = NormalizeNote(c.Note);
        if (note is { Length: > Refund.MaxNoteLength })
            throw new RefundRefusedException(RefundRefusal.Invalid, $"The note is longer than {Refund.MaxNoteLength} characters.");
        if (c.Reason == RefundReason.Other && note is null)
            throw new RefundRefusedException(RefundRefusal.Invalid, "With the reason \"Other\", write a note saying why.");
        var key = c.IdempotencyKey?.Trim() ?? "";
        if (key.Length is < 8 or > Refund.MaxKeyLength || !key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or ':'))
            throw new RefundRefusedException(RefundRefusal.Invalid,
                $"The idempotency key must be 8 to {Refund.MaxKeyLength} characters of letters, digits, '-', '_', '.' or ':'.");
        return (key, currency, note);
    }

    /// <summary>Trimmed, empty as none, and a card number pasted into it masked (it is stored, audited and sent to the gateway).</summary>
    private static string? NormalizeNote(string? note) =>
        string.IsNullOrWhiteSpace(note) ? null : Webhooks.PayloadMasker.MaskText(note.Trim());

    private static string Describe(RefundReason reason, string? note) =>
        RefundReasons.Describe(reason) + (note is null ? "" : $" ({note})");

    /// <summary>History source: <c>ui:alice@x</c>, <c>api:alice@x</c>, <c>job:refund-verification</c>.</summary>
    private static string SourceOf(Actor actor)
    {
        var source = actor.Origin is "ui" or "api" ? $"{actor.Origin}:{actor.Name}" : actor.Origin;
        return source.Length <= 100 ? source : source[..100];
    }

    private sealed record TargetInfo(RefundTarget Target, TransactionStatus Status, Currency Currency, long Confirmed, long Refunded, long Reserved);

    private static async Task<TargetInfo?> LoadTargetAsync(DbContext db, string paymentId, string transactionId, CancellationToken cancellationToken)
    {
        var row = await db.Set<PaymentTransaction>().AsNoTracking()
            .Where(t => t.Id == transactionId && t.PaymentId == paymentId)
            .Select(t => new
            {
                t.Id, t.PaymentId, t.GatewayId, t.GatewayName, t.ExternalId1, t.Status, t.Currency, t.ConfirmedAmount, t.RefundedAmount,
                t.RefundReservedAmount, Source = t.Payment!.Source,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        // A Voucherly payment is linked to Voucherly's own id by its sync state (usually the same id).
        var sourcePaymentId = row.Source == PaymentSource.Voucherly
            ? await db.Set<Polling.VoucherlySyncState>().AsNoTracking().Where(s => s.PaymentId == paymentId)
                .Select(s => s.VoucherlyPaymentId).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new TargetInfo(new RefundTarget(row.PaymentId, row.Source, row.Id, row.GatewayId, row.GatewayName, row.ExternalId1, sourcePaymentId),
            row.Status, row.Currency, row.ConfirmedAmount, row.RefundedAmount, row.RefundReservedAmount);
    }
}

/// <summary>Which transaction statuses allow a refund (mirrors <see cref="PaymentTransaction.RefundableAmount"/>).</summary>
internal static class PaymentTransactionRules
{
    public static bool IsRefundable(TransactionStatus status) => PaymentTransaction.StatusesAllowingRefund.Contains(status);
}
