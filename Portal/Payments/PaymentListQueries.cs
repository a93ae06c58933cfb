using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Persistence;

namespace Portal.Payments;

/// <summary>One row of the payments list: only the columns the list shows.</summary>
public sealed record PaymentListRow(
    string Id,
    DateTime CreatedAtUtc,
    PaymentStatus Status,
    Currency Currency,
    long FinalAmount,
    long PaidAmount,
    long RemainingAmount,
    string? CustomerName,
    string? CustomerEmail,
    string? ReferenceId,
    string? Gateway,
    PaymentMode Mode,
    PaymentTenant Tenant,
    PaymentSource Source,
    bool InCall,
    bool TotalsMismatch)
{
    /// <summary>Brand and last four of the newest card attempt, filled in for the rows of a page.</summary>
    public string? CardBrand { get; init; }

    public string? CardLast4 { get; init; }

    public Money Final => new(FinalAmount, Currency);

    public Money Remaining => new(RemainingAmount, Currency);
}

/// <summary>A page of a list; <see cref="Total"/> is null when the caller did not ask for the count.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Rows, int? Total);

/// <summary>
/// Read side of the payments list. Filtering, sorting and paging happen in SQL; a page reads
/// only its own rows (projected, untracked) and the count is a separate COUNT the caller asks
/// for only when the filter changed. Each filter and sort has an index that serves it
/// (see PaymentConfiguration and the SavedViews migration); each search shape seeks one index.
/// </summary>
public sealed class PaymentListQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Rows matching an amount range above which a page walks the date index instead of sorting the range's rows.</summary>
    internal const int AmountRangeSortLimit = 5000;

    /// <param name="knownTotal">The count from an earlier call for the same filter, when the caller does not ask for it again.</param>
    public async Task<ListPage<PaymentListRow>> ListAsync(PaymentListState state, TimeZoneInfo zone, bool includeCount,
        CancellationToken cancellationToken = default, int? knownTotal = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One connection for the count, the page and the cards: opening one runs the connection pragmas.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var filtered = Filter(db, state.Filter, zone);
        int? total = includeCount ? await CountAsync(db, filtered, state.Filter, zone, cancellationToken) : null;
        var amountSeekForPage = true;
        // An amount range matching many rows, listed in another order: seeking the range would
        // read and sort all of them; walking the order index finds a page after a few rows.
        if ((state.Filter.Min is not null || state.Filter.Max is not null) && state.Sort != PaymentSort.Amount
            && (total ?? knownTotal) > AmountRangeSortLimit)
        {
            filtered = Filter(db, state.Filter, zone, amountSeek: false);
            amountSeekForPage = false;
        }
        var rows = await Page(db, filtered, state, zone, amountSeekForPage)
            .Select(RowProjection)
            .ToListAsync(cancellationToken);
        return new ListPage<PaymentListRow>(await WithCardsAsync(db, rows, cancellationToken), total);
    }

    public async Task<int> CountAsync(PaymentListFilter filter, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, Filter(db, filter, zone), filter, zone, cancellationToken);
    }

    /// <summary>
    /// A status-only (or no) filter reads the maintained counts (<see cref="PaymentStatusCount"/>).
    /// An amount range without a currency is counted per exponent group and summed: one range
    /// scan of the (Currency, FinalAmount) index per group, instead of a union of row ids.
    /// </summary>
    private static async Task<int> CountAsync(DbContext db, IQueryable<Payment> filtered, PaymentListFilter f, TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        if (f.OnlyStatuses) return await StatusCounts.PaymentsAsync(db, f.Statuses, cancellationToken);
        if (f.Currency is not null || (f.Min is null && f.Max is null)) return await filtered.CountAsync(cancellationToken);
        var withoutAmount = Filter(db, f with { Min = null, Max = null }, zone);
        var total = 0;
        for (var group = 0; group < AmountBounds.ExponentGroups.Count; group++)
            total += await withoutAmount
                .Where(AmountFilter.GroupPredicate<Payment>(nameof(Payment.FinalAmount), nameof(Payment.Currency), group, f.Min, f.Max))
                .CountAsync(cancellationToken);
        return total;
    }

    /// <summary>
    /// Every payment of the filtered set in list order, streamed from the data reader: memory
    /// stays flat however many rows there are. The context lives as long as the enumeration.
    /// </summary>
    public async IAsyncEnumerable<PaymentExportRow> ExportAsync(PaymentListState state, TimeZoneInfo zone,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Sort(Filter(db, state.Filter, zone), state.Sort, state.Descending)
            .Select(p => new PaymentExportRow(p.Id, p.CreatedAtUtc, p.Status, p.Currency, p.TotalAmount, p.DiscountAmount,
                p.FinalAmount, p.PaidAmount, p.RemainingAmount, p.CustomerName, p.Customer.Email, p.ReferenceId,
                p.SelectedGatewayId, p.Mode, p.Tenant, p.Source, p.InCall, p.CallUuid, p.TotalsMismatch))
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var row in rows) yield return row;
    }

    /// <summary>Distinct selected gateways, read by skipping through the gateway index (one seek per value).</summary>
    public async Task<IReadOnlyList<string>> GatewaysAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var result = new List<string>();
        string? last = "";
        while (result.Count < 100)
        {
            var after = last;
            last = await db.Set<Payment>().Where(p => p.SelectedGatewayId != null && p.SelectedGatewayId.CompareTo(after) > 0)
                .MinAsync(p => p.SelectedGatewayId, cancellationToken);
            if (last is null) break;
            result.Add(last);
        }
        return result;
    }

    private static readonly Expression<Func<Payment, PaymentListRow>> RowProjection = p => new PaymentListRow(
        p.Id, p.CreatedAtUtc, p.Status, p.Currency, p.FinalAmount, p.PaidAmount, p.RemainingAmount, p.CustomerName,
        p.Customer.Email, p.ReferenceId, p.SelectedGatewayId, p.Mode, p.Tenant, p.Source, p.InCall, p.TotalsMismatch);

    /// <summary>
    /// The page's rows. Several statuses in date order would make SQLite gather every matching
    /// row and sort them; instead each status reads its own ordered slice of the
    /// (Status, CreatedAtUtc) index (at most skip + size rows) and the slices are merged.
    /// </summary>
    private static IQueryable<Payment> Page(DbContext db, IQueryable<Payment> filtered, PaymentListState state, TimeZoneInfo zone,
        bool amountSeek = true)
    {
        if (state.Filter.Statuses.Count < 2 || state.Sort != PaymentSort.Created)
            return Sort(filtered, state.Sort, state.Descending).Skip(state.Skip).Take(state.Size);
        var slice = state.Skip + state.Size;
        var merged = state.Filter.Statuses
            .Select(status => Sort(Filter(db, state.Filter with { Statuses = [status] }, zone, amountSeek), PaymentSort.Created, state.Descending).Take(slice))
            .Aggregate((a, b) => a.Concat(b));
        return Sort(merged, PaymentSort.Created, state.Descending).Skip(state.Skip).Take(state.Size);
    }

    internal static IQueryable<Payment> Filter(DbContext db, PaymentListFilter f, TimeZoneInfo zone, bool amountSeek = true)
    {
        var query = db.Set<Payment>().AsNoTracking();
        if (f.Statuses.Count == 1)
        {
            var status = f.Statuses[0];
            query = query.Where(p => p.Status == status);
        }
        else if (f.Statuses.Count > 1)
        {
            query = query.Where(AnyOf<PaymentStatus>(nameof(Payment.Status), f.Statuses));
        }
        var (fromUtc, toUtc) = LocalDateRange.ToUtc(f.From, f.To, zone);
        if (fromUtc is { } from) query = query.Where(p => p.CreatedAtUtc >= from);
        if (toUtc is { } to) query = query.Where(p => p.CreatedAtUtc < to);
        if (f.Currency is { } currency) query = query.Where(p => p.Currency == currency);
        if (f.Gateway is { } gateway) query = query.Where(p => p.SelectedGatewayId == gateway);
        if (f.Mode is { } mode) query = query.Where(p => p.Mode == mode);
        if (f.Tenant is { } tenant) query = query.Where(p => p.Tenant == tenant);
        if (f.InCall is { } inCall) query = query.Where(p => p.InCall == inCall);
        if (f.FlaggedOnly)
        {
            // Compared to a parameter, not used bare: SQLite only seeks an index for a comparison.
            var flagged = true;
            query = query.Where(p => p.TotalsMismatch == flagged);
        }
        if (f.Min is not null || f.Max is not null) query = query.Where(AmountFilter.Predicate<Payment>(nameof(Payment.FinalAmount), nameof(Payment.Currency), f.Currency, f.Min, f.Max, amountSeek));
        if (!string.IsNullOrWhiteSpace(f.Search)) query = Search(db, query, f.Search.Trim());
        return query;
    }

    internal static IQueryable<Payment> Search(DbContext db, IQueryable<Payment> query, string q)
    {
        var transactions = db.Set<PaymentTransaction>().AsNoTracking();
        switch (SearchShapes.Classify(q))
        {
            case SearchShape.PaymentId:
            {
                var (lo, hi) = Prefix(SearchShapes.NormalizeOwnId(q));
                return query.Where(p => p.Id.CompareTo(lo) >= 0 && p.Id.CompareTo(hi) < 0);
            }
            case SearchShape.TransactionId:
            {
                var (lo, hi) = Prefix(SearchShapes.NormalizeOwnId(q));
                var ids = transactions.Where(t => t.Id.CompareTo(lo) >= 0 && t.Id.CompareTo(hi) < 0).Select(t => t.PaymentId);
                return query.Where(p => ids.Contains(p.Id));
            }
            case SearchShape.CardLast4:
            {
                var ids = transactions.Where(t => t.CardLast4 == q).Select(t => t.PaymentId);
                return query.Where(p => ids.Contains(p.Id));
            }
            case SearchShape.Email:
            {
                var (lo, hi) = Prefix(q.ToLowerInvariant());
                return query.Where(p => p.CustomerEmailNormalized!.CompareTo(lo) >= 0 && p.CustomerEmailNormalized.CompareTo(hi) < 0);
            }
            case SearchShape.Uuid:
            {
                var lower = q.ToLowerInvariant();
                var upper = q.ToUpperInvariant();
                return query.Where(p => p.CallUuid == lower || p.CallUuid == upper);
            }
            default:
            {
                var (lo, hi) = Prefix(q);
                var (clo, chi) = Prefix(SearchShapes.Capitalized(q));
                var ids = transactions.Where(t => t.ExternalId1 == q || t.TrackingId == q).Select(t => t.PaymentId);
                return query.Where(p => p.Id == q || p.ReferenceId == q
                    || (p.CustomerName!.CompareTo(lo) >= 0 && p.CustomerName.CompareTo(hi) < 0)
                    || (p.CustomerName!.CompareTo(clo) >= 0 && p.CustomerName.CompareTo(chi) < 0)
                    || ids.Contains(p.Id));
            }
        }
    }

    /// <summary>
    /// Ties are broken by id so a page boundary is stable. Each order matches one index scanned
    /// in one direction: (CreatedAtUtc), (FinalAmount), (Status, CreatedAtUtc), (Currency, CreatedAtUtc),
    /// (CustomerName), (ReferenceId).
    /// </summary>
    internal static IQueryable<Payment> Sort(IQueryable<Payment> query, PaymentSort sort, bool descending) => (sort, descending) switch
    {
        (PaymentSort.Amount, true) => query.OrderByDescending(p => p.FinalAmount).ThenByDescending(p => p.Id),
        (PaymentSort.Amount, false) => query.OrderBy(p => p.FinalAmount).ThenBy(p => p.Id),
        (PaymentSort.Status, true) => query.OrderByDescending(p => p.Status).ThenByDescending(p => p.CreatedAtUtc).ThenByDescending(p => p.Id),
        (PaymentSort.Status, false) => query.OrderBy(p => p.Status).ThenBy(p => p.CreatedAtUtc).ThenBy(p => p.Id),
        (PaymentSort.Currency, true) => query.OrderByDescending(p => p.Currency).ThenByDescending(p => p.CreatedAtUtc).ThenByDescending(p => p.Id),
        (PaymentSort.Currency, false) => query.OrderBy(p => p.Currency).ThenBy(p => p.CreatedAtUtc).ThenBy(p => p.Id),
        (PaymentSort.Customer, true) => query.OrderByDescending(p => p.CustomerName).ThenByDescending(p => p.Id),
        (PaymentSort.Customer, false) => query.OrderBy(p => p.CustomerName).ThenBy(p => p.Id),
        (PaymentSort.Reference, true) => query.OrderByDescending(p => p.ReferenceId).ThenByDescending(p => p.Id),
        (PaymentSort.Reference, false) => query.OrderBy(p => p.ReferenceId).ThenBy(p => p.Id),
        (_, true) => query.OrderByDescending(p => p.CreatedAtUtc).ThenByDescending(p => p.Id),
        (_, false) => query.OrderBy(p => p.CreatedAtUtc).ThenBy(p => p.Id),
    };

    /// <summary>Card brand and last four of each row's newest card attempt: one indexed query for the page's ids.</summary>
    private static async Task<IReadOnlyList<PaymentListRow>> WithCardsAsync(DbContext db, List<PaymentListRow> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return rows;
        var ids = rows.Select(r => r.Id).ToList();
        var cards = await db.Set<PaymentTransaction>().AsNoTracking()
            .Where(t => ids.Contains(t.PaymentId) && t.CardLast4 != null)
            .Select(t => new { t.PaymentId, t.CardLast4, Brand = t.Card!.Brand, t.CreatedAtUtc, t.Id })
            .ToListAsync(cancellationToken);
        var newest = cards.GroupBy(c => c.PaymentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.CreatedAtUtc).ThenByDescending(c => c.Id).First());
        return rows.Select(r => newest.TryGetValue(r.Id, out var c) ? r with { CardBrand = c.Brand, CardLast4 = c.CardLast4 } : r).ToList();
    }


    /// <summary><c>column IN (…)</c> with constants, so SQLite sees a fixed list it can seek in an index.</summary>
    internal static Expression<Func<TEntity, bool>> AnyOf<TEntity, TValue>(string property, IEnumerable<TValue> values)
    {
        var p = Expression.Parameter(typeof(TEntity), "e");
        var column = Expression.Property(p, property);
        var body = values.Select(v => (Expression)Expression.Equal(column, Expression.Constant(v, typeof(TValue)))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<TEntity, bool>>(body, p);
    }

    private static Expression<Func<Payment, bool>> AnyOf<TValue>(string property, IEnumerable<TValue> values) =>
        AnyOf<Payment, TValue>(property, values);

    internal static (string Lo, string Hi) Prefix(string q) => (q, q + SearchShapes.PrefixEnd);
}

/// <summary>One CSV row of the payments export.</summary>
public sealed record PaymentExportRow(
    string Id,
    DateTime CreatedAtUtc,
    PaymentStatus Status,
    Currency Currency,
    long TotalAmount,
    long DiscountAmount,
    long FinalAmount,
    long PaidAmount,
    long RemainingAmount,
    string? CustomerName,
    string? CustomerEmail,
    string? ReferenceId,
    string? Gateway,
    PaymentMode Mode,
    PaymentTenant Tenant,
    PaymentSource Source,
    bool InCall,
    string? CallUuid,
    bool TotalsMismatch);
