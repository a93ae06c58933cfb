using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Persistence;

namespace Portal.Dashboard;

/// <summary>
/// The dashboard's numbers, each an aggregate query in the database (indexed ranges on creation
/// time, status and flags); nothing loads a table into memory.
/// <list type="bullet">
/// <item>Collected today: Σ paidAmount of payments created today, per currency (money taken, vouchers included; refunds are shown apart).</item>
/// <item>Payments today: payments created today, counted by current status.</item>
/// <item>Success rate: attempts created today that succeeded ÷ those decided. Failed, Cancelled and
/// Expired attempts failed; Requested and NextAction are undecided; every other status got the money at some point.</item>
/// <item>Refunds today: attempts whose status moved to RefundedPartially or Refunded today, with the amount refunded on them.</item>
/// <item>Pending now: attempts in Requested or NextAction, whenever created; stale after <see cref="StaleAfter"/>.</item>
/// <item>Flagged: payments whose gateway-reported totals disagree with the recomputed ones.</item>
/// </list>
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);
    public const int ChartDays = 30;
    public const int LatestCount = 8;

    private static readonly TransactionStatus[] FailedStatuses = [TransactionStatus.Failed, TransactionStatus.Cancelled, TransactionStatus.Expired];
    private static readonly TransactionStatus[] OpenStatuses = [TransactionStatus.Requested, TransactionStatus.NextAction];
    private const string RefundedPartially = nameof(TransactionStatus.RefundedPartially);
    private const string Refunded = nameof(TransactionStatus.Refunded);

    public async Task<DashboardSnapshot> GetAsync(DashboardCalendar calendar, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var today = calendar.Today;
        var from = calendar.StartUtc(today);
        var to = calendar.EndUtc(today);

        var chart = await GetChartAsync(db, calendar, cancellationToken);
        var todayBuckets = chart.Buckets.Where(b => b.Day == today).ToList();
        var collected = todayBuckets.Where(b => b.Collected > 0).GroupBy(b => b.Currency)
            .Select(g => new CurrencyTotal(g.Key, g.Sum(b => b.Count), g.Sum(b => b.Collected)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Currency.Code, StringComparer.Ordinal).ToList();
        var byStatus = todayBuckets.GroupBy(b => b.Status).Select(g => new StatusCount(g.Key, g.Sum(b => b.Count)))
            .OrderBy(s => s.Status).ToList();

        var attempts = await db.Set<PaymentTransaction>().AsNoTracking()
            .Where(t => t.CreatedAtUtc >= from && t.CreatedAtUtc < to)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var outcomes = new AttemptOutcomes(
            attempts.Where(a => !FailedStatuses.Contains(a.Status) && !OpenStatuses.Contains(a.Status)).Sum(a => a.Count),
            attempts.Where(a => FailedStatuses.Contains(a.Status)).Sum(a => a.Count),
            attempts.Where(a => OpenStatuses.Contains(a.Status)).Sum(a => a.Count));

        return new DashboardSnapshot(today, calendar.IsLocal, calendar.ZoneName, collected, byStatus, outcomes,
            await GetRefundsAsync(db, from, to, cancellationToken),
            await GetPendingAsync(db, calendar.NowUtc, cancellationToken),
            await db.Set<Payment>().CountAsync(p => p.TotalsMismatch, cancellationToken),
            await GetLatestAsync(db, cancellationToken),
            chart);
    }

    private static async Task<RefundSummary> GetRefundsAsync(DbContext db, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var refundedToday = db.Set<PaymentStatusChange>()
            .Where(c => c.Applied && c.AtUtc >= from && c.AtUtc < to && c.TransactionId != null && (c.ToStatus == RefundedPartially || c.ToStatus == Refunded))
            .Select(c => c.TransactionId)
            .Distinct();
        var rows = await db.Set<PaymentTransaction>().AsNoTracking()
            .Where(t => refundedToday.Contains(t.Id))
            .GroupBy(t => t.Currency)
            .Select(g => new { Currency = g.Key, Count = g.Count(), Amount = g.Sum(t => t.RefundedAmount) })
            .ToListAsync(cancellationToken);
        var amounts = rows.Select(r => new CurrencyTotal(r.Currency, r.Count, r.Amount))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Currency.Code, StringComparer.Ordinal).ToList();
        return new RefundSummary(amounts.Sum(a => a.Count), amounts);
    }

    private static async Task<PendingSummary> GetPendingAsync(DbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var staleBefore = nowUtc - StaleAfter;
        var open = db.Set<PaymentTransaction>().AsNoTracking()
            .Where(t => t.Status == TransactionStatus.Requested || t.Status == TransactionStatus.NextAction);
        var summary = await open
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Stale = g.Count(t => t.CreatedAtUtc < staleBefore), Oldest = g.Min(t => (DateTime?)t.CreatedAtUtc) })
            .FirstOrDefaultAsync(cancellationToken);
        return summary is null ? new PendingSummary(0, 0, null) : new PendingSummary(summary.Count, summary.Stale, summary.Oldest);
    }

    private static async Task<IReadOnlyList<LatestPayment>> GetLatestAsync(DbContext db, CancellationToken cancellationToken) =>
        await db.Set<Payment>().AsNoTracking()
            .OrderByDescending(p => p.CreatedAtUtc).ThenByDescending(p => p.Id)
            .Take(LatestCount)
            .Select(p => new LatestPayment(p.Id, p.CreatedAtUtc, p.CustomerName, p.CustomerEmailNormalized, p.Currency, p.FinalAmount, p.Status, p.Source))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// One grouped query over the last <see cref="ChartDays"/> local days: the day boundaries are
    /// passed in as a small table of UTC ranges, so each day is an index range scan on creation time.
    /// </summary>
    private static async Task<DashboardChart> GetChartAsync(DbContext db, DashboardCalendar calendar, CancellationToken cancellationToken)
    {
        var days = Enumerable.Range(0, ChartDays).Select(i => calendar.Today.AddDays(i - ChartDays + 1)).ToList();
        var sql = new StringBuilder("WITH days(d, s, e) AS (VALUES ");
        var parameters = new List<object>();
        for (var i = 0; i < days.Count; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append(CultureInfo.InvariantCulture, $"({i}, {{{parameters.Count}}}, {{{parameters.Count + 1}}})");
            parameters.Add(calendar.StartUtc(days[i]));
            parameters.Add(calendar.EndUtc(days[i]));
        }
        sql.Append(") SELECT days.d AS Day, p.\"Status\" AS Status, p.\"Currency\" AS Currency, COUNT(*) AS Count, SUM(p.\"PaidAmount\") AS Collected ")
            .Append("FROM days JOIN \"Payments\" AS p ON p.\"CreatedAtUtc\" >= days.s AND p.\"CreatedAtUtc\" < days.e ")
            .Append("GROUP BY days.d, p.\"Status\", p.\"Currency\"");
        var rows = await db.Database.SqlQueryRaw<ChartRow>(sql.ToString(), parameters.ToArray()).ToListAsync(cancellationToken);
        var buckets = rows
            .Select(r => new DailyBucket(days[(int)r.Day], Enum.Parse<PaymentStatus>(r.Status), Currency.Parse(r.Currency), (int)r.Count, r.Collected))
            .OrderBy(b => b.Day).ThenBy(b => b.Status).ThenBy(b => b.Currency.Code, StringComparer.Ordinal)
            .ToList();
        return new DashboardChart(days, buckets);
    }

    private sealed class ChartRow
    {
        public long Day { get; set; }
        public string Status { get; set; } = "";
        public string Currency { get; set; } = "";
        public long Count { get; set; }
        public long Collected { get; set; }
    }
}
