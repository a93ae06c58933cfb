using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <summary>What one read of one Voucherly payment did.</summary>
/// <param name="PaymentId">The portal payment, when there is one.</param>
/// <param name="RefusedReports">Reported moves the transition tables refused (recorded in the history, not applied).</param>
/// <param name="Detail">Why nothing was applied (NotFound, Unanswered, Conflict, Failed), or a short summary.</param>
public sealed record VoucherlySyncResult(string VoucherlyPaymentId, string? PaymentId, VoucherlySyncOutcome Outcome,
    int RefusedReports = 0, string? Detail = null);

/// <summary>What one run did: every payment read, of which <paramref name="Rechecked"/> were settled payments read again.</summary>
public sealed record VoucherlySyncBatchResult(int Read, int Created, int Updated, int Unchanged, int NotFound, int Unanswered,
    int Conflicts, int Failed, int RefusedReports, int Rechecked = 0)
{
    internal static VoucherlySyncBatchResult From(IReadOnlyCollection<VoucherlySyncResult> results, int rechecked)
    {
        int Count(VoucherlySyncOutcome o) => results.Count(r => r.Outcome == o);
        return new VoucherlySyncBatchResult(results.Count, Count(VoucherlySyncOutcome.Created), Count(VoucherlySyncOutcome.Updated),
            Count(VoucherlySyncOutcome.Unchanged), Count(VoucherlySyncOutcome.NotFound), Count(VoucherlySyncOutcome.Unanswered),
            Count(VoucherlySyncOutcome.Conflict), Count(VoucherlySyncOutcome.Failed), results.Sum(r => r.RefusedReports), rechecked);
    }
}

/// <summary>
/// Keeps the portal's Voucherly payments in step with Voucherly (DESIGN.md: "GET /payments/{id}
/// returns the payment object; the poller maps it onto the canonical model").
/// <list type="bullet">
/// <item><see cref="SyncOpenPaymentsAsync"/>: one bounded batch from two queues, each payment in
/// its own unit of work.
/// <list type="number">
/// <item><b>Open</b> payments (<see cref="OpenStatuses"/>: Requested, Paid) are read on every run,
/// least recently synced first.</item>
/// <item><b>Settled</b> payments that can still move (<see cref="RecheckedStatuses"/>: Confirmed,
/// which may still become Refunded, and whose transactions may still be refunded, partly
/// refunded, reversed or flagged ImpossibleRefund) are read again once their last read is
/// <see cref="VoucherlyRecheckOptions.RecheckIntervalMinutes"/> old, and only while the payment
/// is younger than <see cref="VoucherlyRecheckOptions.RecheckHorizonDays"/>, so a refund or
/// chargeback made in Voucherly's own back office reaches the portal. The queue is
/// <see cref="VoucherlySyncState.RecheckDueAtUtc"/> (indexed), oldest due first. Final payments
/// (Refunded, Cancelled, Voided, Expired) are never read again.</item>
/// </list>
/// Open payments come first and due settled ones fill the rest of the batch, but the settled
/// queue always gets at least a quarter of the batch (and at least one payment in a batch of two
/// or more) while it has due payments, so neither queue can starve the other. Claiming moves both
/// cursors before anything is read, so a payment that keeps failing goes to the back, and a
/// settled one stops being due at the horizon whatever its reads answer. A payment that left
/// Confirmed in the portal meanwhile (a portal refund made it Refunded) is read once more when it
/// comes due, and that read clears its due time. A concurrent change (version conflict) or a lost answer
/// leaves the payment for the next run; an answer the model cannot take is recorded on the
/// payment's sync state (<see cref="VoucherlySyncState.LastError"/>) and logged, and the run goes on.</item>
/// <item><see cref="ImportAsync"/>: reads one payment by Voucherly's id and creates it (the portal
/// did not know it) or brings it in step. Voucherly's API has no list endpoint, so this is how a
/// payment enters the portal.</item>
/// </list>
/// <para>
/// <b>Reads and portal refunds.</b> Two rules keep "a refund is counted exactly once" and "a
/// refund never exceeds confirmed − refunded" true while an admin refunds a Voucherly transaction
/// (docs/decisions/0007-voucherly-sync-and-refunds.md):
/// <list type="number">
/// <item>A transaction with a portal refund in flight keeps the portal's refund figures; the read
/// is repeated at the next run (see <see cref="VoucherlyReportApplier"/>).</item>
/// <item>An answer is applied only to the payment as it was when Voucherly was asked: the payment's
/// version is read just before the question, and when it changed before the answer is applied (a
/// refund settled meanwhile, say) the answer may predate that change, so it is dropped as a
/// Conflict and the payment is read again at the next run. Without this, an answer taken before a
/// refund settled would write the old refunded total back over it.</item>
/// </list>
/// A read after the refund settled finds the same figures at Voucherly and in the portal and changes nothing.
/// </para>
/// The portal payment takes Voucherly's id when <see cref="Ids"/> accepts it and no other payment
/// has it, so the two are linked at a glance; otherwise it gets a fresh <c>pay_</c> id. Either way
/// the link is the <see cref="VoucherlySyncState"/> row (created by the import and by this sync;
/// a Voucherly payment without one is picked up while open, but not re-read once settled).
/// Voucherly's transaction ids become the transactions' ids, which is how an attempt is matched
/// on the next read (never added twice).
/// </summary>
public sealed class VoucherlySync(
    IDbContextFactory<DbContext> dbFactory,
    IVoucherlyPayments voucherly,
    TimeProvider clock,
    ILogger<VoucherlySync> logger,
    IOptions<VoucherlyRecheckOptions> recheckOptions)
{
    /// <summary>With the default re-read settings (6 hours, 120 days).</summary>
    public VoucherlySync(IDbContextFactory<DbContext> dbFactory, IVoucherlyPayments voucherly, TimeProvider clock, ILogger<VoucherlySync> logger)
        : this(dbFactory, voucherly, clock, logger, Options.Create(new VoucherlyRecheckOptions()))
    {
    }

    /// <summary>History source of the scheduled sync.</summary>
    public const string SyncSource = "job:voucherly-sync";

    /// <summary>History source of a one-off import.</summary>
    public const string ImportSource = "voucherly:import";

    public const int MaxBatchSize = 1000;

    /// <summary>
    /// The settled queue's guaranteed share of a batch while it has due payments: a quarter, and
    /// at least one payment once the batch holds two (a batch of one goes to the open queue first).
    /// </summary>
    internal static int RecheckShare(int batchSize) => batchSize > 1 ? Math.Max(1, batchSize / 4) : 0;

    /// <summary>Payment statuses Voucherly may still move before the payment is settled: read on every run.</summary>
    public static IReadOnlyList<PaymentStatus> OpenStatuses { get; } = [PaymentStatus.Requested, PaymentStatus.Paid];

    /// <summary>
    /// Settled statuses that can still move (every status that is neither open nor final in
    /// <see cref="PaymentStatusTransitions"/>: today Confirmed, which may become Refunded and whose
    /// transactions may still be refunded or reversed): read again on the slower cadence.
    /// </summary>
    public static IReadOnlyList<PaymentStatus> RecheckedStatuses { get; } = Enum.GetValues<PaymentStatus>()
        .Where(s => !OpenStatuses.Contains(s) && !PaymentStatusTransitions.Table.IsFinal(s))
        .ToArray();

    private VoucherlyRecheckOptions Recheck => recheckOptions.Value;

    /// <summary>One run: open payments, then settled payments due for a re-read, at most <paramref name="batchSize"/> in all.</summary>
    public async Task<VoucherlySyncBatchResult> SyncOpenPaymentsAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = Now();
        var batch = await ClaimBatchAsync(Math.Clamp(batchSize, 1, MaxBatchSize), now, cancellationToken);
        var results = new List<VoucherlySyncResult>(batch.Count);
        foreach (var claimed in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await SyncOneAsync(claimed.VoucherlyId, claimed.PaymentId, SyncSource, cancellationToken));
        }
        return VoucherlySyncBatchResult.From(results, batch.Count(c => c.Recheck));
    }

    public async Task<VoucherlySyncResult> ImportAsync(string voucherlyPaymentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(voucherlyPaymentId);
        string? paymentId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            paymentId = await db.Set<VoucherlySyncState>().Where(s => s.VoucherlyPaymentId == voucherlyPaymentId)
                            .Select(s => s.PaymentId).FirstOrDefaultAsync(cancellationToken)
                        ?? await db.Set<Payment>().Where(p => p.Id == voucherlyPaymentId && p.Source == PaymentSource.Voucherly)
                            .Select(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        }
        return await SyncOneAsync(voucherlyPaymentId, paymentId, ImportSource, cancellationToken);
    }

    private sealed record Claimed(string PaymentId, string VoucherlyId, bool Recheck);

    /// <summary>
    /// Picks the batch from both queues and moves their cursors before reading anything: every
    /// claimed payment's <see cref="VoucherlySyncState.LastSyncedAtUtc"/> becomes now, and a
    /// claimed settled payment is next due one interval later, or never when that is past the
    /// horizon (an applied read sets it properly; a failed one leaves this).
    /// Both selects are index reads: open payments by (Source, Status) on Payments, due ones by
    /// (RecheckDueAtUtc, PaymentId) on VoucherlySyncStates.
    /// </summary>
    private async Task<List<Claimed>> ClaimBatchAsync(int size, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await (
                from p in db.Set<Payment>()
                where p.Source == PaymentSource.Voucherly && (p.Status == PaymentStatus.Requested || p.Status == PaymentStatus.Paid)
                join s in db.Set<VoucherlySyncState>() on p.Id equals s.PaymentId into states
                from s in states.DefaultIfEmpty()
                orderby (DateTime?)s!.LastSyncedAtUtc, p.CreatedAtUtc, p.Id
                select new { p.Id, VoucherlyId = s == null ? null : s.VoucherlyPaymentId })
            .Take(size)
            .ToListAsync(cancellationToken);
        var due = await (
                from s in db.Set<VoucherlySyncState>()
                join p in db.Set<Payment>() on s.PaymentId equals p.Id
                where s.RecheckDueAtUtc != null && s.RecheckDueAtUtc <= now
                orderby s.RecheckDueAtUtc, s.PaymentId
                select new { s.PaymentId, s.VoucherlyPaymentId, p.CreatedAtUtc })
            .Take(size)
            .ToListAsync(cancellationToken);
        var openIds = open.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        due.RemoveAll(d => openIds.Contains(d.PaymentId));

        var dueTake = Math.Min(due.Count, Math.Max(size - open.Count, RecheckShare(size)));
        var openTake = Math.Min(open.Count, size - dueTake);
        open = open.Take(openTake).ToList();
        due = due.Take(dueTake).ToList();

        var openClaimed = open.Select(o => o.Id).ToList();
        var nextDue = now + Recheck.RecheckInterval;
        // Past the horizon a claimed payment is not due again, whatever this read's outcome: one that
        // Voucherly keeps failing on (not found, no answer) is not re-read for ever.
        var dueAgain = due.Where(d => nextDue <= d.CreatedAtUtc + Recheck.RecheckHorizon).Select(d => d.PaymentId).ToList();
        var dueLastTime = due.Select(d => d.PaymentId).Except(dueAgain).ToList();
        if (openClaimed.Count > 0)
            await db.Set<VoucherlySyncState>().Where(s => openClaimed.Contains(s.PaymentId))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncedAtUtc, now), cancellationToken);
        if (dueAgain.Count > 0)
            await db.Set<VoucherlySyncState>().Where(s => dueAgain.Contains(s.PaymentId))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncedAtUtc, now).SetProperty(s => s.RecheckDueAtUtc, nextDue), cancellationToken);
        if (dueLastTime.Count > 0)
            await db.Set<VoucherlySyncState>().Where(s => dueLastTime.Contains(s.PaymentId))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncedAtUtc, now).SetProperty(s => s.RecheckDueAtUtc, (DateTime?)null), cancellationToken);
        // A Voucherly payment without a sync state was created before this sync existed: its id is Voucherly's.
        foreach (var row in open.Where(r => r.VoucherlyId is null))
            db.Add(new VoucherlySyncState(row.Id, row.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        return
        [
            .. open.Select(r => new Claimed(r.Id, r.VoucherlyId ?? r.Id, Recheck: false)),
            .. due.Select(d => new Claimed(d.PaymentId, d.VoucherlyPaymentId, Recheck: true)),
        ];
    }

    private async Task<VoucherlySyncResult> SyncOneAsync(string voucherlyId, string? paymentId, string source, CancellationToken cancellationToken)
    {
        // The payment's version when Voucherly is asked: an answer is only applied to that version (stale-answer rule).
        long? askedAtVersion = null;
        if (paymentId is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            askedAtVersion = await db.Set<Payment>().Where(p => p.Id == paymentId).Select(p => (long?)p.Version).FirstOrDefaultAsync(cancellationToken);
        }

        VoucherlyLookup lookup;
        try
        {
            lookup = await voucherly.GetAsync(voucherlyId, cancellationToken);
        }
        catch (DomainException ex)
        {
            return await FinishAsync(new(voucherlyId, paymentId, VoucherlySyncOutcome.Failed, Detail: ex.Message), cancellationToken);
        }

        VoucherlySyncResult result;
        switch (lookup)
        {
            case VoucherlyLookup.NotFound notFound:
                result = new(voucherlyId, paymentId, VoucherlySyncOutcome.NotFound, Detail: notFound.Message ?? "Voucherly has no such payment.");
                break;
            case VoucherlyLookup.Unavailable unavailable:
                result = new(voucherlyId, paymentId, VoucherlySyncOutcome.Unanswered, Detail: unavailable.Reason);
                break;
            case VoucherlyLookup.Found { Payment: var report } when report.VoucherlyPaymentId != voucherlyId:
                result = new(voucherlyId, paymentId, VoucherlySyncOutcome.Failed,
                    Detail: $"Asked Voucherly for payment {voucherlyId} and got payment {report.VoucherlyPaymentId}.");
                break;
            case VoucherlyLookup.Found found:
                try
                {
                    var now = Now();
                    return await FinishAsync(paymentId is null
                        ? await CreateAsync(found.Payment, source, now, cancellationToken)
                        : await UpdateAsync(paymentId, askedAtVersion, found.Payment, source, now, cancellationToken), cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    result = new(voucherlyId, paymentId, VoucherlySyncOutcome.Conflict,
                        Detail: "The payment changed in the portal meanwhile; the next run reads it again.");
                }
                catch (DomainException ex)
                {
                    result = new(voucherlyId, paymentId, VoucherlySyncOutcome.Failed, Detail: ex.Message);
                }
                catch (DbUpdateException ex) when (paymentId is null)
                {
                    // Unique payment, transaction or Voucherly id: another import of the same payment won.
                    logger.LogInformation(ex, "Import of Voucherly payment {VoucherlyPaymentId} lost a race", voucherlyId);
                    result = new(voucherlyId, null, VoucherlySyncOutcome.Conflict, Detail: "Imported meanwhile by another run.");
                }
                break;
            default:
                throw new InvalidOperationException($"Unexpected lookup {lookup.GetType().Name}.");
        }
        return await FinishAsync(result, cancellationToken);
    }

    private async Task<VoucherlySyncResult> CreateAsync(VoucherlyPaymentReport report, string source, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var paymentId = await ChoosePaymentIdAsync(db, report.VoucherlyPaymentId, cancellationToken);
        await EnsureTransactionIdsFreeAsync(db, report, except: new HashSet<string>(), cancellationToken);
        var applier = new VoucherlyReportApplier(source, now, []);
        var payment = applier.Create(report, paymentId);
        var state = new VoucherlySyncState(payment.Id, report.VoucherlyPaymentId, now);
        state.Record(VoucherlySyncOutcome.Created, null, now);
        state.ScheduleRecheck(NextRecheck(payment, now, soon: false));
        db.Add(payment);
        db.Add(state);
        await db.SaveChangesAsync(cancellationToken);
        return new(report.VoucherlyPaymentId, payment.Id, VoucherlySyncOutcome.Created, applier.RefusedReports,
            $"Imported as {payment.Status} with {applier.AddedTransactions} transaction(s).");
    }

    private async Task<VoucherlySyncResult> UpdateAsync(string paymentId, long? askedAtVersion, VoucherlyPaymentReport report, string source,
        DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var payment = await db.Set<Payment>().WithAggregate().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
                      ?? throw new DomainException($"Payment {paymentId} is no longer in the portal.");
        if (askedAtVersion is { } asked && payment.Version != asked)
            return new(report.VoucherlyPaymentId, paymentId, VoucherlySyncOutcome.Conflict, Detail:
                "The payment changed in the portal while Voucherly was answering (a refund settled, say); the answer may predate that change, " +
                "so it was not applied and the next run reads the payment again.");
        var state = await db.Set<VoucherlySyncState>().SingleOrDefaultAsync(s => s.PaymentId == paymentId, cancellationToken);
        if (state is null)
        {
            state = new VoucherlySyncState(paymentId, report.VoucherlyPaymentId, now);
            db.Add(state);
        }
        await EnsureTransactionIdsFreeAsync(db, report, except: payment.Transactions.Select(t => t.Id).ToHashSet(), cancellationToken);

        var applier = new VoucherlyReportApplier(source, now, await LastStatusChangesAsync(db, paymentId, cancellationToken));
        var before = (payment.Version, payment.Status);
        applier.Apply(payment, report);
        var outcome = payment.Version == before.Version ? VoucherlySyncOutcome.Unchanged : VoucherlySyncOutcome.Updated;
        var deferred = applier.DeferredTransactionIds;
        state.Record(outcome, null, now);
        state.ScheduleRecheck(NextRecheck(payment, now, soon: deferred.Count > 0));
        await db.SaveChangesAsync(cancellationToken);
        var detail = before.Status == payment.Status ? $"Still {payment.Status}." : $"{before.Status} → {payment.Status}.";
        if (applier.AddedTransactions > 0) detail += $" {applier.AddedTransactions} new transaction(s).";
        if (applier.RefusedReports > 0) detail += $" {applier.RefusedReports} reported move(s) refused.";
        if (deferred.Count > 0)
            detail += $" Transaction(s) {string.Join(", ", deferred)} left until the portal's refund in flight is settled; the next run reads the payment again.";
        return new(report.VoucherlyPaymentId, paymentId, outcome, applier.RefusedReports, detail);
    }

    /// <summary>
    /// When a payment just read is next due as a settled payment: null while it is open (read every
    /// run anyway) or final; now (the next run) when <paramref name="soon"/>; otherwise one interval
    /// on, unless that is past the horizon, after which it is not read again.
    /// </summary>
    private DateTime? NextRecheck(Payment payment, DateTime now, bool soon)
    {
        if (!RecheckedStatuses.Contains(payment.Status)) return null;
        if (soon) return now;
        var next = now + Recheck.RecheckInterval;
        return next <= payment.CreatedAtUtc + Recheck.RecheckHorizon ? next : null;
    }

    /// <summary>Voucherly's id when the model accepts it and no other payment has it; null for a fresh id.</summary>
    private static async Task<string?> ChoosePaymentIdAsync(DbContext db, string voucherlyId, CancellationToken cancellationToken)
    {
        try
        {
            Ids.Validate(voucherlyId, "payment");
        }
        catch (DomainException)
        {
            return null;
        }
        return await db.Set<Payment>().AnyAsync(p => p.Id == voucherlyId, cancellationToken) ? null : voucherlyId;
    }

    /// <summary>A Voucherly transaction id that another payment already uses is a contradiction to look at, not to paper over.</summary>
    private static async Task EnsureTransactionIdsFreeAsync(DbContext db, VoucherlyPaymentReport report, IReadOnlySet<string> except,
        CancellationToken cancellationToken)
    {
        var ids = report.Transactions.Select(t => t.Id!).Where(id => !except.Contains(id)).ToList();
        if (ids.Count == 0) return;
        var taken = await db.Set<PaymentTransaction>().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.PaymentId }).FirstOrDefaultAsync(cancellationToken);
        if (taken is not null)
            throw new DomainException($"Voucherly transaction {taken.Id} already belongs to payment {taken.PaymentId} in the portal.");
    }

    /// <summary>The last history entry of the payment and of each of its transactions (history is not part of the loaded aggregate).</summary>
    private static async Task<List<LastStatusChange>> LastStatusChangesAsync(DbContext db, string paymentId, CancellationToken cancellationToken)
    {
        var lastIds = await db.Set<PaymentStatusChange>().Where(c => c.PaymentId == paymentId)
            .GroupBy(c => c.TransactionId)
            .Select(g => g.Max(c => c.Id))
            .ToListAsync(cancellationToken);
        return await db.Set<PaymentStatusChange>().AsNoTracking().Where(c => lastIds.Contains(c.Id))
            .Select(c => new LastStatusChange(c.TransactionId, c.FromStatus, c.ToStatus, c.Applied))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Logs the result and, for a payment the portal has, records it on its sync state (in its own unit of work).</summary>
    private async Task<VoucherlySyncResult> FinishAsync(VoucherlySyncResult result, CancellationToken cancellationToken)
    {
        if (VoucherlySyncState.IsSuccess(result.Outcome))
        {
            logger.LogInformation("Voucherly payment {VoucherlyPaymentId} synced as {PaymentId}: {Outcome}. {Detail}",
                result.VoucherlyPaymentId, result.PaymentId, result.Outcome, result.Detail);
            return result;
        }

        var level = result.Outcome == VoucherlySyncOutcome.Failed ? LogLevel.Warning : LogLevel.Information;
        logger.Log(level, "Voucherly payment {VoucherlyPaymentId} (portal {PaymentId}) not applied: {Outcome}. {Detail}",
            result.VoucherlyPaymentId, result.PaymentId, result.Outcome, result.Detail);
        if (result.PaymentId is null) return result;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.Set<VoucherlySyncState>().SingleOrDefaultAsync(s => s.PaymentId == result.PaymentId, cancellationToken);
        if (state is null)
        {
            state = new VoucherlySyncState(result.PaymentId, result.VoucherlyPaymentId, Now());
            db.Add(state);
        }
        state.Record(result.Outcome, result.Detail, Now());
        // A settled payment whose answer was dropped for a concurrent change is read again at the next run,
        // even when that was the last read its horizon allowed (the claim has already cleared its due time).
        if (result.Outcome == VoucherlySyncOutcome.Conflict
            && RecheckedStatuses.Contains(await db.Set<Payment>().Where(p => p.Id == result.PaymentId).Select(p => p.Status).FirstOrDefaultAsync(cancellationToken)))
            state.ScheduleRecheck(Now());
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
