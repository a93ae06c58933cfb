using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Payments;
using Portal.Persistence;

namespace Portal.Recurring;

/// <summary>
/// Read side of <c>/recurring</c> and <c>/recurring/{id}</c>: filtering, sorting and paging in SQL,
/// projected and untracked; a streaming export; the detail with cycles, attempts and audit trail;
/// dashboard counts; the transactions of a payment a schedule can be created from.
/// </summary>
public sealed class RecurringQueries(IDbContextFactory<PortalDbContext> dbFactory, IPaymentGateway gateway, TimeProvider clock)
{
    /// <summary>Cycle dates listed ahead on the detail page.</summary>
    public const int UpcomingCount = 5;

    public async Task<ListPage<RecurringListRow>> ListAsync(RecurringListRequest request, bool includeCount = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var filtered = Filter(db, request.Filter);
        int? total = includeCount ? await filtered.CountAsync(cancellationToken) : null;
        var size = Math.Clamp(request.PageSize, 1, RecurringListRequest.MaxPageSize);
        var rows = await Sort(filtered, request.Sort, request.Descending)
            .Skip(Math.Max(0, request.Page) * size).Take(size)
            .Select(Row)
            .ToListAsync(cancellationToken);
        return new ListPage<RecurringListRow>(rows, total);
    }

    public async Task<int> CountAsync(RecurringListFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Filter(db, filter).CountAsync(cancellationToken);
    }

    /// <summary>Every row of the filter in the list's order, streamed from the reader (memory stays flat).</summary>
    public async IAsyncEnumerable<RecurringListRow> ExportRowsAsync(RecurringListFilter filter, RecurringSort sort = RecurringSort.NextCharge,
        bool descending = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in Sort(Filter(db, filter), sort, descending).Select(Row).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return row;
    }

    /// <summary>The schedule page's data, or null when there is no such schedule.</summary>
    public async Task<RecurringScheduleDetail?> GetAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var s = await db.Set<RecurringSchedule>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == scheduleId, cancellationToken);
        if (s is null) return null;
        var cycles = await db.Set<RecurringCycle>().AsNoTracking().Where(c => c.ScheduleId == scheduleId)
            .OrderByDescending(c => c.Number).ToListAsync(cancellationToken);
        var attempts = (await db.Set<RecurringCycleAttempt>().AsNoTracking().Where(a => a.ScheduleId == scheduleId)
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.CycleId);
        var audit = await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.ResourceType == RecurringAuditActions.ResourceType && e.ResourceId == scheduleId)
            .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id)
            .Select(e => new RecurringAuditRow(e.OccurredAtUtc, e.ActorName, e.Origin, e.Action, e.Details, e.Before, e.After,
                e.AmountBefore, e.AmountAfter, e.Currency))
            .ToListAsync(cancellationToken);
        var cycleRows = cycles.Select(c => new RecurringCycleRow(c.Number, c.DueAtUtc, c.AmountMinor, c.Currency.Code, c.Status, c.AttemptCount,
            c.NextAttemptAtUtc, c.PaymentId, c.TransactionId, c.GatewayTransactionId, c.GatewayMessage, c.GatewayCode, c.CompletedAtUtc,
            attempts[c.Id].OrderBy(a => a.Number).Select(a => new RecurringAttemptRow(a.Number, a.Kind, a.IdempotencyKey, a.Status, a.SendCount,
                a.GatewayTransactionId, a.GatewayMessage, a.GatewayCode, a.CreatedAtUtc, a.AnsweredAtUtc)).ToList())).ToList();
        return new RecurringScheduleDetail(RecurringScheduleView.From(s), cycleRows, Upcoming(s), audit);
    }

    /// <summary>Counts of schedules by the states the dashboard shows.</summary>
    public async Task<RecurringDashboardCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var byStatus = await db.Set<RecurringSchedule>().GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var pending = await db.Set<RecurringSchedule>().CountAsync(s => s.OpenAttemptKey != null, cancellationToken);
        var until = clock.GetUtcNow().UtcDateTime.AddHours(24);
        var due = await db.Set<RecurringSchedule>()
            .CountAsync(s => s.Status == RecurringScheduleStatus.Active && s.NextChargeAtUtc != null && s.NextChargeAtUtc <= until, cancellationToken);
        int Get(RecurringScheduleStatus st) => byStatus.GetValueOrDefault(st);
        return new RecurringDashboardCounts(Get(RecurringScheduleStatus.Active), Get(RecurringScheduleStatus.Paused),
            Get(RecurringScheduleStatus.NeedsAttention), Get(RecurringScheduleStatus.PastDue), pending, due);
    }

    /// <summary>The transactions of a payment, each saying whether a schedule can be created from it (and why not).</summary>
    public async Task<IReadOnlyList<RecurringSource>> SourcesAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PaymentTransaction>().AsNoTracking().Where(t => t.PaymentId == paymentId)
            .OrderBy(t => t.CreatedAtUtc)
            .Select(t => new
            {
                t.PaymentId, t.Id, t.CreatedAtUtc, t.Status, t.ConfirmedAmount, t.RequestedAmount, t.Currency, t.GatewayId,
                Brand = t.Card == null ? null : t.Card.Brand, Last4 = t.Card == null ? null : t.Card.Last4,
                HasToken = t.CardTokenProtected != null, Email = t.HolderEmail ?? t.Payment!.Customer.Email,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(t =>
        {
            string? reason = null;
            if (t.Status is not (TransactionStatus.Paid or TransactionStatus.Confirmed or TransactionStatus.RefundedPartially or TransactionStatus.Refunded))
                reason = $"The transaction is {t.Status}; a schedule needs a successful one.";
            else if (!t.HasToken)
                reason = "No card token was stored with this transaction.";
            else if (!string.Equals(t.GatewayId, gateway.Name, StringComparison.OrdinalIgnoreCase))
                reason = $"Recurring charges go through {gateway.Name} only.";
            return new RecurringSource(t.PaymentId, t.Id, t.CreatedAtUtc, t.Status, t.ConfirmedAmount > 0 ? t.ConfirmedAmount : t.RequestedAmount,
                t.Currency.Code, t.GatewayId, t.Brand, t.Last4, t.Email, reason is null, reason);
        }).ToList();
    }

    private static IReadOnlyList<RecurringUpcomingCycle> Upcoming(RecurringSchedule s)
    {
        var list = new List<RecurringUpcomingCycle>();
        if (s.IsFinal || s.NextChargeAtUtc is null) return list;
        for (var n = s.NextCycleNumber; list.Count < UpcomingCount && s.HasCycle(n); n++)
            list.Add(new RecurringUpcomingCycle(n, n == s.NextCycleNumber ? s.NextChargeAtUtc.Value : s.DueAtUtc(n), s.AmountMinor, s.Currency.Code));
        return list;
    }

    private static IQueryable<RecurringSchedule> Filter(PortalDbContext db, RecurringListFilter f)
    {
        var q = db.Set<RecurringSchedule>().AsNoTracking();
        if (f.Status is { } status) q = q.Where(s => s.Status == status);
        if (f.NextFrom is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(s => s.NextChargeAtUtc >= start);
        }
        if (f.NextTo is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(s => s.NextChargeAtUtc < end);
        }
        if (f.HasFailures is true) q = q.Where(s => s.FailedAttempts > 0);
        if (f.HasFailures is false) q = q.Where(s => s.FailedAttempts == 0);
        if (!string.IsNullOrWhiteSpace(f.Search))
        {
            var term = f.Search.Trim();
            var like = term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(s => s.Id == term || s.SourcePaymentId == term || EF.Functions.Like(s.CustomerEmail!, like, "\\"));
        }
        return q;
    }

    private static IQueryable<RecurringSchedule> Sort(IQueryable<RecurringSchedule> q, RecurringSort sort, bool desc) => (sort, desc) switch
    {
        (RecurringSort.Created, false) => q.OrderBy(s => s.CreatedAtUtc).ThenBy(s => s.Id),
        (RecurringSort.Created, true) => q.OrderByDescending(s => s.CreatedAtUtc).ThenByDescending(s => s.Id),
        (RecurringSort.Amount, false) => q.OrderBy(s => s.AmountMinor).ThenBy(s => s.Id),
        (RecurringSort.Amount, true) => q.OrderByDescending(s => s.AmountMinor).ThenByDescending(s => s.Id),
        (RecurringSort.Status, false) => q.OrderBy(s => s.Status).ThenBy(s => s.NextChargeAtUtc == null).ThenBy(s => s.NextChargeAtUtc).ThenBy(s => s.Id),
        (RecurringSort.Status, true) => q.OrderByDescending(s => s.Status).ThenBy(s => s.NextChargeAtUtc == null).ThenBy(s => s.NextChargeAtUtc).ThenBy(s => s.Id),
        // Next charge: schedules with nothing left go last either way.
        (_, false) => q.OrderBy(s => s.NextChargeAtUtc == null).ThenBy(s => s.NextChargeAtUtc).ThenBy(s => s.Id),
        (_, true) => q.OrderBy(s => s.NextChargeAtUtc == null).ThenByDescending(s => s.NextChargeAtUtc).ThenByDescending(s => s.Id),
    };

    private static readonly System.Linq.Expressions.Expression<Func<RecurringSchedule, RecurringListRow>> Row = s => new RecurringListRow(
        s.Id, s.Status, s.StatusReason, s.AmountMinor, s.Currency.Code, s.Description, s.IntervalUnit, s.IntervalCount, s.NextCycleNumber,
        s.NextChargeAtUtc, s.CardBrand, s.CardLast4, s.CustomerEmail, s.CustomerName, s.SucceededCycles, s.FailedAttempts,
        s.LastChargedAtUtc, s.LastFailureAtUtc, s.OpenAttemptKey != null, s.SourcePaymentId, s.CreatedAtUtc);
}
