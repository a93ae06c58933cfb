using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using CardDetails = Portal.Domain.Payments.CardDetails;

namespace Portal.Domain.Recurring;

/// <summary>
/// Charges due cycles exactly once, however many runners run and whenever one dies.
/// <list type="number">
/// <item><b>Claim</b>: one conditional UPDATE marks up to a batch of due schedules with this round's
/// claim token and an expiry; a schedule claimed by a live runner is skipped, an expired claim
/// (a crashed runner) is taken over.</item>
/// <item><b>Record</b>: for each claimed schedule the cycle (unique per schedule and number) and the
/// attempt (unique key <c>{schedule}-c{cycle}-a{attempt}</c>) are committed, and the schedule
/// marked as having an open attempt, BEFORE the gateway is called.</item>
/// <item><b>Charge</b> with the attempt's key as <c>tracking_id</c>, then <b>settle</b> in one
/// transaction: a payment and its transaction for an approval, dunning for a decline, pending
/// verification for a lost or undecided answer.</item>
/// <item>A schedule with an open attempt is never charged anew: its attempt is first resolved by
/// <see cref="IPaymentGateway.QueryByIdempotencyKeyAsync"/>; only when the gateway says it never
/// received it is the same attempt sent again, with the same key (so the gateway's duplicate check
/// stops a second charge even if the first request arrives late).</item>
/// </list>
/// </summary>
public sealed class RecurringChargeRunner(
    IDbContextFactory<DbContext> dbFactory,
    IPaymentGateway gateway,
    ICardTokenProtector tokens,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<RecurringOptions> options,
    ILogger<RecurringChargeRunner> logger)
{
    public const string JobName = "recurring-charges";

    private static readonly Actor JobActor = Actor.Job(JobName);

    private RecurringOptions Options => options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Claims up to <paramref name="batchSize"/> (default <see cref="RecurringOptions.BatchSize"/>) due schedules and charges (or verifies) each once.</summary>
    public async Task<RecurringRunResult> RunDueAsync(int? batchSize = null, CancellationToken cancellationToken = default)
    {
        var token = NewClaimToken();
        var claimed = await ClaimAsync(token, Math.Clamp(batchSize ?? Options.BatchSize, 1, 10_000), null, cancellationToken);
        if (claimed.Count == 0) return RecurringRunResult.Empty;

        int succeeded = 0, retry = 0, failed = 0, pending = 0, completed = 0, errors = 0;
        await Parallel.ForEachAsync(claimed,
            new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                try
                {
                    var outcome = await ProcessClaimedAsync(id, token, ct);
                    switch (outcome)
                    {
                        case null: break;
                        case { ScheduleStatus: RecurringScheduleStatus.Completed, CycleNumber: 0 }: Interlocked.Increment(ref completed); break;
                        case { Status: RecurringCycleStatus.Succeeded }: Interlocked.Increment(ref succeeded); break;
                        case { Status: RecurringCycleStatus.RetryScheduled }: Interlocked.Increment(ref retry); break;
                        case { Status: RecurringCycleStatus.Failed }: Interlocked.Increment(ref failed); break;
                        default: Interlocked.Increment(ref pending); break;
                    }
                }
                catch (OperationCanceledException)
                {
                    // Shutting down (or the process "dies"): whatever was recorded is resolved by the next round.
                    throw;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref errors);
                    logger.LogError(ex, "Recurring schedule {ScheduleId} not processed; the next round looks again", id);
                    await ReleaseAsync(id, token);
                }
            });
        var result = new RecurringRunResult(claimed.Count, succeeded, retry, failed, pending, completed, errors);
        logger.LogInformation("Recurring round {ClaimToken}: {Claimed} claimed, {Succeeded} charged, {Retry} to retry, {Failed} failed, {Pending} pending verification, {Completed} completed, {Errors} errors",
            token, result.Claimed, result.Succeeded, result.RetryScheduled, result.Failed, result.PendingVerification, result.Completed, result.Errors);
        return result;
    }

    /// <summary>
    /// Charges one schedule now (its next charge must already be due: <see cref="RecurringScheduleService.ChargeNextNowAsync"/>
    /// brings it forward). Null when another runner holds its claim.
    /// </summary>
    public async Task<RecurringChargeOutcome?> ChargeScheduleNowAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var token = NewClaimToken();
        var claimed = await ClaimAsync(token, 1, scheduleId, cancellationToken);
        if (claimed.Count == 0) return null;
        try
        {
            return await ProcessClaimedAsync(scheduleId, token, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ReleaseAsync(scheduleId, token);
            throw;
        }
    }

    private static string NewClaimToken() => Guid.NewGuid().ToString("N");

    /// <summary>The conditional update that claims due, unclaimed (or expired) schedules for this round.</summary>
    private async Task<List<string>> ClaimAsync(string token, int batchSize, string? scheduleId, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = now.AddSeconds(Options.ClaimLeaseSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = db.Set<RecurringSchedule>().Where(s =>
            s.NextChargeAtUtc != null && s.NextChargeAtUtc <= now
            && (s.Status == RecurringScheduleStatus.Active || s.OpenAttemptKey != null)
            && (s.ClaimToken == null || s.ClaimExpiresAtUtc < now));
        if (scheduleId is not null) due = due.Where(s => s.Id == scheduleId);
        await due.OrderBy(s => s.NextChargeAtUtc).Take(batchSize)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.ClaimToken, token)
                .SetProperty(s => s.ClaimExpiresAtUtc, until)
                .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
        var ids = await db.Set<RecurringSchedule>().Where(s => s.ClaimToken == token)
            .OrderBy(s => s.NextChargeAtUtc).Select(s => s.Id).ToListAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ids;
    }

    private async Task ReleaseAsync(string scheduleId, string token)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Set<RecurringSchedule>().Where(s => s.Id == scheduleId && s.ClaimToken == token)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.ClaimToken, (string?)null)
                    .SetProperty(s => s.ClaimExpiresAtUtc, (DateTime?)null)
                    .SetProperty(s => s.Version, s => s.Version + 1), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The claim expires on its own.
            logger.LogWarning(ex, "Could not release the claim on recurring schedule {ScheduleId}", scheduleId);
        }
    }

    /// <summary>What to do with a claimed schedule.</summary>
    private sealed record Step(string Kind, RecurringCycleAttempt? Attempt, RecurringChargeOutcome? Outcome, ChargeRequestParts? Charge);

    private sealed record ChargeRequestParts(string Key, long AmountMinor, string Currency, string Description, string TokenProtected,
        TokenChargeKind Kind, string? Email);

    private async Task<RecurringChargeOutcome?> ProcessClaimedAsync(string scheduleId, string token, CancellationToken cancellationToken)
    {
        var step = await PrepareAsync(scheduleId, token, cancellationToken);
        switch (step.Kind)
        {
            case "skip":
                await ReleaseAsync(scheduleId, token);
                return step.Outcome;
            case "done":
                return step.Outcome;
            case "verify":
            {
                var attempt = step.Attempt!;
                GatewayResult answer;
                try
                {
                    answer = await gateway.QueryByIdempotencyKeyAsync(attempt.IdempotencyKey, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Query about recurring attempt {IdempotencyKey} threw", attempt.IdempotencyKey);
                    answer = new GatewayResult.Unknown("the gateway query failed: " + ex.Message);
                }
                if (answer is GatewayResult.Approved found
                    && (found.AmountMinor != attempt.AmountMinor || !string.Equals(found.Currency, attempt.Currency.Code, StringComparison.OrdinalIgnoreCase)))
                {
                    // Whatever the gateway holds under this key is not this charge (another amount or
                    // currency): never record it as the cycle's payment; keep asking and leave it to a person.
                    logger.LogWarning("Recurring attempt {IdempotencyKey}: the gateway's transaction for this key is {Amount} {Currency}, not the attempt's {Expected} {ExpectedCurrency}; left pending verification",
                        attempt.IdempotencyKey, found.AmountMinor, found.Currency, attempt.AmountMinor, attempt.Currency.Code);
                    answer = new GatewayResult.Unknown($"the gateway's transaction for this key is {found.AmountMinor} {found.Currency}, not {attempt.AmountMinor} {attempt.Currency.Code}");
                }
                if (answer is GatewayResult.NotFound)
                {
                    // The gateway never received it: send the SAME attempt again, with the same key.
                    var parts = await ResendPartsAsync(scheduleId, attempt.IdempotencyKey, token, cancellationToken);
                    if (parts is null) return null;
                    answer = await ChargeAsync(parts, cancellationToken);
                }
                return await SettleAsync(scheduleId, attempt.IdempotencyKey, answer, fromQuery: true, token);
            }
            default:
            {
                var parts = step.Charge!;
                var answer = await ChargeAsync(parts, cancellationToken);
                return await SettleAsync(scheduleId, parts.Key, answer, fromQuery: false, token);
            }
        }
    }

    private async Task<GatewayResult> ChargeAsync(ChargeRequestParts parts, CancellationToken cancellationToken)
    {
        string cardToken;
        try
        {
            cardToken = tokens.Unprotect(parts.TokenProtected);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without the key ring the token is gone: the gateway never sees this attempt.
            logger.LogError(ex, "The card token of recurring attempt {IdempotencyKey} cannot be decrypted", parts.Key);
            return new GatewayResult.Declined(null, "The stored card token cannot be decrypted (Data Protection keys changed?).", "token_unreadable", IsHardDecline: true);
        }
        try
        {
            return await gateway.ChargeTokenAsync(new ChargeRequest(parts.Key, parts.AmountMinor, parts.Currency, parts.Description, cardToken,
                parts.Kind, parts.Email), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Recurring charge {IdempotencyKey} threw; left for verification", parts.Key);
            return new GatewayResult.Unknown("the gateway call failed: " + ex.Message);
        }
    }

    /// <summary>Loads the claimed schedule and, in one transaction, records the attempt to make (or says why none).</summary>
    private async Task<Step> PrepareAsync(string scheduleId, string token, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var s = await db.Set<RecurringSchedule>().SingleOrDefaultAsync(x => x.Id == scheduleId, cancellationToken);
        if (s is null || s.ClaimToken != token || s.ClaimExpiresAtUtc <= now)
            return new Step("done", null, null, null); // another runner took it over: leave its claim alone

        if (s.OpenAttemptKey is { } openKey)
        {
            var open = await db.Set<RecurringCycleAttempt>().AsNoTracking().SingleOrDefaultAsync(a => a.IdempotencyKey == openKey, cancellationToken);
            if (open is { IsOpen: true })
            {
                // Renew the claim for the query (and a possible resend) as the charge path does: a claim
                // taken for a long batch could otherwise expire mid-way and let another runner resend too.
                s.ExtendClaim(now.AddSeconds(Options.ClaimLeaseSeconds));
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return new Step("verify", open, null, null);
            }
        }
        if (s.Status != RecurringScheduleStatus.Active || s.NextChargeAtUtc is not { } due || due > now)
            return new Step("skip", null, null, null);

        var cycle = await db.Set<RecurringCycle>().SingleOrDefaultAsync(c => c.ScheduleId == s.Id && c.Number == s.NextCycleNumber, cancellationToken);
        if (cycle is null)
        {
            if (!s.HasCycle(s.NextCycleNumber))
            {
                s.Complete(now);
                s.ReleaseClaim();
                audit.Record(db, JobActor, RecurringAuditActions.Completed, RecurringAuditActions.ResourceType, s.Id, s.SourcePaymentId,
                    details: $"Every cycle is done ({s.SucceededCycles} charged).");
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return new Step("done", null, new RecurringChargeOutcome(s.Id, 0, 0, RecurringCycleStatus.Succeeded, null, "Completed.", s.Status), null);
            }
            cycle = new RecurringCycle(s, s.NextCycleNumber, now);
            db.Add(cycle);
        }
        else if (cycle.Status != RecurringCycleStatus.RetryScheduled)
        {
            // Settled already (e.g. a late answer): move on to the next cycle next round.
            logger.LogWarning("Recurring schedule {ScheduleId} pointed at cycle {Cycle} which is {Status}; moving on", s.Id, cycle.Number, cycle.Status);
            s.MoveTo(cycle.Number + 1, now);
            s.ReleaseClaim();
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return new Step("done", null, null, null);
        }

        var attemptNumber = cycle.NextAttemptNumber();
        var kind = attemptNumber > 1 ? TokenChargeKind.MerchantInitiatedResubmission
            : s.SucceededCycles == 0 ? TokenChargeKind.RecurringFirst
            : TokenChargeKind.MerchantInitiatedCycle;
        cycle.AttemptStarted(now);
        await db.SaveChangesAsync(cancellationToken); // the cycle's id, for its attempt
        var attempt = new RecurringCycleAttempt(cycle, attemptNumber, kind, now);
        db.Add(attempt);
        s.AttemptOpened(attempt.IdempotencyKey, now);
        s.ExtendClaim(now.AddSeconds(Options.ClaimLeaseSeconds));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new Step("charge", attempt, null, new ChargeRequestParts(attempt.IdempotencyKey, cycle.AmountMinor, cycle.Currency.Code,
            Description(s, cycle), s.CardTokenProtected, kind, s.CustomerEmail));
    }

    private static string Description(RecurringSchedule s, RecurringCycle c)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{s.Description} ({c.Number})");
        return text.Length <= RecurringSchedule.MaxDescriptionLength ? text : text[..RecurringSchedule.MaxDescriptionLength];
    }

    /// <summary>Marks the open attempt as sent again (same key) and returns what to send.</summary>
    private async Task<ChargeRequestParts?> ResendPartsAsync(string scheduleId, string key, string token, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var attempt = await db.Set<RecurringCycleAttempt>().SingleAsync(a => a.IdempotencyKey == key, cancellationToken);
        if (!attempt.IsOpen) return null;
        var s = await db.Set<RecurringSchedule>().SingleAsync(x => x.Id == scheduleId, cancellationToken);
        // Only the runner that still holds the claim resends: never two sends of one attempt at once.
        if (s.ClaimToken != token || s.ClaimExpiresAtUtc <= now) return null;
        var cycle = await db.Set<RecurringCycle>().AsNoTracking().SingleAsync(c => c.Id == attempt.CycleId, cancellationToken);
        attempt.Resent(now);
        s.ExtendClaim(now.AddSeconds(Options.ClaimLeaseSeconds));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Recurring attempt {IdempotencyKey} never reached the gateway; sent again with the same key", key);
        return new ChargeRequestParts(key, attempt.AmountMinor, attempt.Currency.Code, Description(s, cycle), s.CardTokenProtected, attempt.Kind, s.CustomerEmail);
    }

    /// <summary>Applies a gateway answer to the open attempt in one transaction; an attempt already settled is left alone.</summary>
    private async Task<RecurringChargeOutcome> SettleAsync(string scheduleId, string key, GatewayResult answer, bool fromQuery, string token)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await SettleOnceAsync(scheduleId, key, answer, fromQuery, token);
            }
            catch (DbUpdateConcurrencyException) when (round < 5)
            {
                // A person changed the schedule meanwhile (pause, amount): apply the answer to what is there now.
            }
        }
    }

    private async Task<RecurringChargeOutcome> SettleOnceAsync(string scheduleId, string key, GatewayResult answer, bool fromQuery, string token)
    {
        var now = Now;
        // Never cancelled: an answer the gateway gave must be recorded even while shutting down.
        var ct = CancellationToken.None;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var attempt = await db.Set<RecurringCycleAttempt>().SingleAsync(a => a.IdempotencyKey == key, ct);
        var cycle = await db.Set<RecurringCycle>().SingleAsync(c => c.Id == attempt.CycleId, ct);
        var s = await db.Set<RecurringSchedule>().SingleAsync(x => x.Id == scheduleId, ct);
        if (!attempt.IsOpen)
            return Outcome(s, cycle, attempt);

        var via = fromQuery ? " (found by asking the gateway by its key)" : "";
        switch (answer)
        {
            case GatewayResult.Approved approved:
            {
                var (payment, transaction) = CreatePayment(db, s, cycle, attempt, approved, now);
                attempt.Answered(RecurringAttemptStatus.Approved, approved.GatewayTransactionId, approved.Message, null, now);
                cycle.Succeeded(payment.Id, transaction.Id, approved.GatewayTransactionId, approved.Message, now);
                s.CycleSucceeded(cycle.Number, now);
                audit.Record(db, JobActor, RecurringAuditActions.CycleSucceeded, RecurringAuditActions.ResourceType, s.Id, payment.Id,
                    amountAfter: cycle.AmountMinor, currency: cycle.Currency.Code,
                    details: $"Cycle {cycle.Number} charged {cycle.Amount}{via}: payment {payment.Id}, gateway transaction {approved.GatewayTransactionId}.");
                break;
            }
            case GatewayResult.Declined declined:
            {
                attempt.Answered(declined.IsHardDecline ? RecurringAttemptStatus.HardDeclined : RecurringAttemptStatus.SoftDeclined,
                    declined.GatewayTransactionId, declined.Reason, declined.Code, now);
                var retries = Options.RetryDays;
                var reason = $"Cycle {cycle.Number} declined{(declined.IsHardDecline ? " (hard)" : "")}: {declined.Reason.TrimEnd('.', ' ')}";
                if (declined.IsHardDecline)
                {
                    cycle.Failed(declined.GatewayTransactionId, declined.Reason, declined.Code, now);
                    s.CycleFailed(cycle.Number, RecurringScheduleStatus.NeedsAttention, reason + ". Not retried: the card needs attention.", now);
                }
                else if (attempt.Number <= retries.Length)
                {
                    var retryAt = cycle.DueAtUtc.AddDays(retries[attempt.Number - 1]);
                    if (retryAt < now) retryAt = now;
                    cycle.RetryAt(retryAt, declined.GatewayTransactionId, declined.Reason, declined.Code, now);
                    s.RetryLater(retryAt, reason + string.Create(CultureInfo.InvariantCulture, $". Retry {attempt.Number} of {retries.Length} on {retryAt:yyyy-MM-dd}."), now);
                }
                else
                {
                    var stop = Options.AfterLastRetry == RecurringAfterLastRetry.Cancel ? RecurringScheduleStatus.Cancelled : RecurringScheduleStatus.PastDue;
                    cycle.Failed(declined.GatewayTransactionId, declined.Reason, declined.Code, now);
                    s.CycleFailed(cycle.Number, stop, reason + (retries.Length == 0 ? "." : $", still after the last retry."), now);
                }
                audit.Record(db, JobActor, s.Status is RecurringScheduleStatus.Active ? RecurringAuditActions.CycleDeclined : RecurringAuditActions.ScheduleStopped,
                    RecurringAuditActions.ResourceType, s.Id, s.SourcePaymentId, amountAfter: cycle.AmountMinor, currency: cycle.Currency.Code,
                    after: new { Schedule = s.Status.ToString(), Cycle = cycle.Status.ToString(), attempt.Number, Kind = attempt.Kind.ToString(), declined.Code },
                    details: $"{reason}{via}; schedule {RecurringSchedule.Label(s.Status)}, cycle {cycle.Status}.");
                break;
            }
            default:
            {
                var why = answer switch
                {
                    GatewayResult.Unknown u => "The gateway's answer was lost: " + u.Reason,
                    GatewayResult.Pending p => "The gateway has not decided yet" + (p.Message is null ? "" : ": " + p.Message),
                    GatewayResult.RequiresAction => "The gateway asked for customer action (3-D Secure) on a merchant-initiated charge",
                    GatewayResult.NotFound => "The gateway does not know the charge yet",
                    _ => "Unexpected answer " + answer.GetType().Name,
                };
                var gatewayId = answer switch
                {
                    GatewayResult.Pending p => p.GatewayTransactionId,
                    GatewayResult.RequiresAction r => r.GatewayTransactionId,
                    _ => null,
                };
                var wasPending = attempt.Status == RecurringAttemptStatus.PendingVerification;
                attempt.Answered(RecurringAttemptStatus.PendingVerification, gatewayId, why, null, now);
                attempt.Checked(now);
                cycle.AwaitVerification(gatewayId, why + ". Resolved only by asking the gateway with the same key.", now);
                s.VerifyLater(now.AddSeconds(Options.VerifyAfterSeconds), now);
                if (!wasPending)
                    audit.Record(db, JobActor, RecurringAuditActions.CyclePendingVerification, RecurringAuditActions.ResourceType, s.Id, s.SourcePaymentId,
                        amountAfter: cycle.AmountMinor, currency: cycle.Currency.Code,
                        details: $"Cycle {cycle.Number}, attempt {attempt.Number} ({attempt.IdempotencyKey}): {why}. Pending verification.");
                break;
            }
        }
        if (s.ClaimToken == token) s.ReleaseClaim();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Recurring schedule {ScheduleId} cycle {Cycle} attempt {Attempt} ({ChargeKind}): {CycleStatus}; schedule {ScheduleStatus}",
            s.Id, cycle.Number, attempt.Number, attempt.Kind, cycle.Status, s.Status);
        return Outcome(s, cycle, attempt);
    }

    private static RecurringChargeOutcome Outcome(RecurringSchedule s, RecurringCycle c, RecurringCycleAttempt a) =>
        new(s.Id, c.Number, a.Number, c.Status, c.PaymentId, c.GatewayMessage, s.Status);

    /// <summary>A successful cycle in the canonical model: a payment (child of the source payment) with one line and its confirmed transaction.</summary>
    private (Payment Payment, PaymentTransaction Transaction) CreatePayment(DbContext db, RecurringSchedule s, RecurringCycle cycle,
        RecurringCycleAttempt attempt, GatewayResult.Approved approved, DateTime now)
    {
        const string source = "job:" + JobName;
        var amount = approved.Currency == cycle.Currency.Code && approved.AmountMinor > 0 ? approved.AmountMinor : cycle.AmountMinor;
        var payment = Payment.Create(new NewPayment
        {
            Currency = cycle.Currency,
            Source = PaymentSource.EComCharge,
            CreatedAtUtc = now,
            ReferenceId = string.Create(CultureInfo.InvariantCulture, $"{s.Id}/{cycle.Number}"),
            ParentPaymentId = s.SourcePaymentId,
            SelectedGatewayId = s.GatewayId,
            Customer = PaymentCustomer.Create(email: s.CustomerEmail),
            Metadata =
            [
                new("recurringScheduleId", s.Id),
                new("recurringCycle", cycle.Number.ToString(CultureInfo.InvariantCulture)),
            ],
        }, source);
        payment.AddLine(new NewPaymentLine { UnitAmount = cycle.AmountMinor, ProductName = Limit(s.Description, 200) });
        CardDetails? card = null;
        if (approved.Card is { Last4: { } last4 } c)
        {
            try { card = CardDetails.Create(null, last4, c.Brand, c.ExpiryMonth, c.ExpiryYear); }
            catch (CardDataException) { card = null; }
        }
        else if (s.CardLast4 is { } knownLast4)
        {
            try { card = CardDetails.Create(null, knownLast4, s.CardBrand); }
            catch (CardDataException) { card = null; }
        }
        var transaction = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = now,
            Gateway = new GatewayRef(s.GatewayId, gateway.Name),
            Status = TransactionStatus.Confirmed,
            RequestedAmount = cycle.AmountMinor,
            ProcessedAmount = amount,
            ConfirmedAmount = amount,
            ExternalId1 = approved.GatewayTransactionId,
            ExternalId2 = approved.AuthCode,
            ExternalId3 = approved.Rrn,
            Card = card,
            HolderEmail = s.CustomerEmail,
            HolderName = s.CustomerName,
            TrackingId = attempt.IdempotencyKey,
            CardTokenProtected = s.CardTokenProtected,
        }, source);
        db.Add(payment);
        return (payment, transaction);
    }

    private static string? Limit(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
