using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <summary>What one read of one Voucherly payment did.</summary>
/// <param name="PaymentId">The portal payment, when there is one.</param>
/// <param name="RefusedReports">Reported moves the transition tables refused (recorded in the history, not applied).</param>
/// <param name="Detail">Why nothing was applied (NotFound, Unanswered, Conflict, Failed), or a short summary.</param>
public sealed record VoucherlySyncResult(string VoucherlyPaymentId, string? PaymentId, VoucherlySyncOutcome Outcome,
    int RefusedReports = 0, string? Detail = null);

/// <summary>What one run over the open Voucherly payments did.</summary>
public sealed record VoucherlySyncBatchResult(int Read, int Created, int Updated, int Unchanged, int NotFound, int Unanswered,
    int Conflicts, int Failed, int RefusedReports)
{
    internal static VoucherlySyncBatchResult From(IReadOnlyCollection<VoucherlySyncResult> results)
    {
        int Count(VoucherlySyncOutcome o) => results.Count(r => r.Outcome == o);
        return new VoucherlySyncBatchResult(results.Count, Count(VoucherlySyncOutcome.Created), Count(VoucherlySyncOutcome.Updated),
            Count(VoucherlySyncOutcome.Unchanged), Count(VoucherlySyncOutcome.NotFound), Count(VoucherlySyncOutcome.Unanswered),
            Count(VoucherlySyncOutcome.Conflict), Count(VoucherlySyncOutcome.Failed), results.Sum(r => r.RefusedReports));
    }
}

/// <summary>
/// Keeps the portal's Voucherly payments in step with Voucherly (DESIGN.md: "GET /payments/{id}
/// returns the payment object; the poller maps it onto the canonical model").
/// <list type="bullet">
/// <item><see cref="SyncOpenPaymentsAsync"/>: every Voucherly payment that is not settled yet
/// (Requested, Paid), least recently synced first, in bounded batches, each payment in its own
/// unit of work. A concurrent change (version conflict) or a lost answer leaves the payment for
/// the next run; an answer the model cannot take is recorded on the payment's sync state
/// (<see cref="VoucherlySyncState.LastError"/>) and logged, and the run goes on.</item>
/// <item><see cref="ImportAsync"/>: reads one payment by Voucherly's id and creates it (the portal
/// did not know it) or brings it in step. Voucherly's API has no list endpoint, so this is how a
/// payment enters the portal.</item>
/// </list>
/// The portal payment takes Voucherly's id when <see cref="Ids"/> accepts it and no other payment
/// has it, so the two are linked at a glance; otherwise it gets a fresh <c>pay_</c> id. Either way
/// the link is the <see cref="VoucherlySyncState"/> row. Voucherly's transaction ids become the
/// transactions' ids, which is how an attempt is matched on the next read (never added twice).
/// </summary>
public sealed class VoucherlySync(
    IDbContextFactory<DbContext> dbFactory,
    IVoucherlyPayments voucherly,
    TimeProvider clock,
    ILogger<VoucherlySync> logger)
{
    /// <summary>History source of the scheduled sync.</summary>
    public const string SyncSource = "job:voucherly-sync";

    /// <summary>History source of a one-off import.</summary>
    public const string ImportSource = "voucherly:import";

    public const int MaxBatchSize = 1000;

    /// <summary>Payment statuses Voucherly may still move (Confirmed and the final ones are left alone).</summary>
    public static IReadOnlyList<PaymentStatus> OpenStatuses { get; } = [PaymentStatus.Requested, PaymentStatus.Paid];

    public async Task<VoucherlySyncBatchResult> SyncOpenPaymentsAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = Now();
        var batch = await ClaimBatchAsync(Math.Clamp(batchSize, 1, MaxBatchSize), now, cancellationToken);
        var results = new List<VoucherlySyncResult>(batch.Count);
        foreach (var (paymentId, voucherlyId) in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await SyncOneAsync(voucherlyId, paymentId, SyncSource, cancellationToken));
        }
        return VoucherlySyncBatchResult.From(results);
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

    /// <summary>
    /// Picks the batch and moves its cursor before reading anything, so a payment that keeps
    /// failing goes to the back of the queue instead of blocking it.
    /// </summary>
    private async Task<List<(string PaymentId, string VoucherlyId)>> ClaimBatchAsync(int size, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from p in db.Set<Payment>()
                where p.Source == PaymentSource.Voucherly && OpenStatuses.Contains(p.Status)
                join s in db.Set<VoucherlySyncState>() on p.Id equals s.PaymentId into states
                from s in states.DefaultIfEmpty()
                orderby (DateTime?)s!.LastSyncedAtUtc, p.CreatedAtUtc, p.Id
                select new { p.Id, VoucherlyId = s == null ? null : s.VoucherlyPaymentId })
            .Take(size)
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        await db.Set<VoucherlySyncState>().Where(s => ids.Contains(s.PaymentId))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSyncedAtUtc, now), cancellationToken);
        // A Voucherly payment without a sync state was created before this sync existed: its id is Voucherly's.
        foreach (var row in rows.Where(r => r.VoucherlyId is null))
            db.Add(new VoucherlySyncState(row.Id, row.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.VoucherlyId ?? r.Id)).ToList();
    }

    private async Task<VoucherlySyncResult> SyncOneAsync(string voucherlyId, string? paymentId, string source, CancellationToken cancellationToken)
    {
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
                        : await UpdateAsync(paymentId, found.Payment, source, now, cancellationToken), cancellationToken);
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
        db.Add(payment);
        db.Add(state);
        await db.SaveChangesAsync(cancellationToken);
        return new(report.VoucherlyPaymentId, payment.Id, VoucherlySyncOutcome.Created, applier.RefusedReports,
            $"Imported as {payment.Status} with {applier.AddedTransactions} transaction(s).");
    }

    private async Task<VoucherlySyncResult> UpdateAsync(string paymentId, VoucherlyPaymentReport report, string source, DateTime now,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var payment = await db.Set<Payment>().WithAggregate().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
                      ?? throw new DomainException($"Payment {paymentId} is no longer in the portal.");
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
        state.Record(outcome, null, now);
        await db.SaveChangesAsync(cancellationToken);
        var detail = before.Status == payment.Status ? $"Still {payment.Status}." : $"{before.Status} → {payment.Status}.";
        if (applier.AddedTransactions > 0) detail += $" {applier.AddedTransactions} new transaction(s).";
        if (applier.RefusedReports > 0) detail += $" {applier.RefusedReports} reported move(s) refused.";
        return new(report.VoucherlyPaymentId, paymentId, outcome, applier.RefusedReports, detail);
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
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
