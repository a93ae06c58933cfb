using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Persistence;

namespace Portal.Payments;

/// <summary>One row of the transactions list.</summary>
public sealed record TransactionListRow(
    string Id,
    string PaymentId,
    DateTime CreatedAtUtc,
    TransactionStatus Status,
    string? GatewayId,
    string? GatewayName,
    Currency Currency,
    long RequestedAmount,
    long ProcessedAmount,
    long ConfirmedAmount,
    long RefundedAmount,
    string? CardBrand,
    string? CardLast4,
    string? MaskedIban,
    string? HolderName,
    TransactionErrorCode? ErrorCode,
    string? ErrorMessage,
    string? ExternalId1,
    string? TrackingId,
    DateTime? PollFlaggedAtUtc = null,
    string? PollFlagReason = null)
{
    public Money Requested => new(RequestedAmount, Currency);

    public Money Confirmed => new(ConfirmedAmount, Currency);

    public Money Refunded => new(RefundedAmount, Currency);
}

/// <summary>One CSV row of the transactions export.</summary>
public sealed record TransactionExportRow(
    string Id,
    string PaymentId,
    DateTime CreatedAtUtc,
    TransactionStatus Status,
    string? GatewayId,
    Currency Currency,
    long RequestedAmount,
    long ProcessedAmount,
    long VoucherAmount,
    long ConfirmedAmount,
    long RefundedAmount,
    string? CardBrand,
    string? CardLast4,
    string? MaskedIban,
    TransactionErrorCode? ErrorCode,
    string? ExternalId1,
    string? TrackingId);

/// <summary>Read side of the transactions list: the same rules as <see cref="PaymentListQueries"/>.</summary>
public sealed class TransactionListQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<ListPage<TransactionListRow>> ListAsync(TransactionListState state, TimeZoneInfo zone, bool includeCount,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One connection for the count, the page and the cards: opening one runs the connection pragmas.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var filtered = Filter(db, state.Filter, zone);
        int? total = !includeCount ? null
            : state.Filter.OnlyStatuses ? await StatusCounts.TransactionsAsync(db, state.Filter.Statuses, cancellationToken)
            : await filtered.CountAsync(cancellationToken);
        var rows = await Sort(filtered, state.Sort, state.Descending)
            .Skip(state.Skip).Take(state.Size)
            .Select(t => new TransactionListRow(t.Id, t.PaymentId, t.CreatedAtUtc, t.Status, t.GatewayId, t.GatewayName, t.Currency,
                t.RequestedAmount, t.ProcessedAmount, t.ConfirmedAmount, t.RefundedAmount, t.Card!.Brand, t.CardLast4,
                t.DirectDebit!.MaskedIban, t.HolderName, t.Error!.Code, t.Error.ExternalMessage, t.ExternalId1, t.TrackingId,
                t.PollFlaggedAtUtc, t.PollFlagReason))
            .ToListAsync(cancellationToken);
        return new ListPage<TransactionListRow>(rows, total);
    }

    public async IAsyncEnumerable<TransactionExportRow> ExportAsync(TransactionListState state, TimeZoneInfo zone,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Sort(Filter(db, state.Filter, zone), state.Sort, state.Descending)
            .Select(t => new TransactionExportRow(t.Id, t.PaymentId, t.CreatedAtUtc, t.Status, t.GatewayId, t.Currency,
                t.RequestedAmount, t.ProcessedAmount, t.VoucherAmount, t.ConfirmedAmount, t.RefundedAmount, t.Card!.Brand,
                t.CardLast4, t.DirectDebit!.MaskedIban, t.Error!.Code, t.ExternalId1, t.TrackingId))
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var row in rows) yield return row;
    }

    /// <summary>Distinct gateway ids, one index seek per value.</summary>
    public async Task<IReadOnlyList<string>> GatewaysAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var result = new List<string>();
        string? last = "";
        while (result.Count < 100)
        {
            var after = last;
            last = await db.Set<PaymentTransaction>().Where(t => t.GatewayId != null && t.GatewayId.CompareTo(after) > 0)
                .MinAsync(t => t.GatewayId, cancellationToken);
            if (last is null) break;
            result.Add(last);
        }
        return result;
    }

    internal static IQueryable<PaymentTransaction> Filter(DbContext db, TransactionListFilter f, TimeZoneInfo zone)
    {
        var query = db.Set<PaymentTransaction>().AsNoTracking();
        if (f.Statuses.Count == 1)
        {
            var status = f.Statuses[0];
            query = query.Where(t => t.Status == status);
        }
        else if (f.Statuses.Count > 1)
        {
            query = query.Where(PaymentListQueries.AnyOf<PaymentTransaction, TransactionStatus>(nameof(PaymentTransaction.Status), f.Statuses));
        }
        var (fromUtc, toUtc) = LocalDateRange.ToUtc(f.From, f.To, zone);
        if (fromUtc is { } from) query = query.Where(t => t.CreatedAtUtc >= from);
        if (toUtc is { } to) query = query.Where(t => t.CreatedAtUtc < to);
        if (f.Currency is { } currency) query = query.Where(t => t.Currency == currency);
        if (f.Gateway is { } gateway) query = query.Where(t => t.GatewayId == gateway);
        if (f.Min is not null || f.Max is not null) query = query.Where(AmountFilter.Predicate<PaymentTransaction>(nameof(PaymentTransaction.RequestedAmount), nameof(PaymentTransaction.Currency), f.Currency, f.Min, f.Max));
        if (f.Flagged is { } flagged) query = flagged ? query.Where(t => t.PollFlaggedAtUtc != null) : query.Where(t => t.PollFlaggedAtUtc == null);
        if (!string.IsNullOrWhiteSpace(f.Search)) query = Search(query, f.Search.Trim());
        return query;
    }

    internal static IQueryable<PaymentTransaction> Search(IQueryable<PaymentTransaction> query, string q)
    {
        switch (SearchShapes.Classify(q))
        {
            case SearchShape.TransactionId:
            {
                var (lo, hi) = PaymentListQueries.Prefix(SearchShapes.NormalizeOwnId(q));
                return query.Where(t => t.Id.CompareTo(lo) >= 0 && t.Id.CompareTo(hi) < 0);
            }
            case SearchShape.PaymentId:
            {
                var id = SearchShapes.NormalizeOwnId(q);
                return query.Where(t => t.PaymentId == id);
            }
            case SearchShape.CardLast4:
                return query.Where(t => t.CardLast4 == q);
            default:
                return query.Where(t => t.Id == q || t.ExternalId1 == q || t.TrackingId == q || t.PaymentId == q);
        }
    }

    internal static IQueryable<PaymentTransaction> Sort(IQueryable<PaymentTransaction> query, TransactionSort sort, bool descending) =>
        (sort, descending) switch
        {
            (TransactionSort.Amount, true) => query.OrderByDescending(t => t.RequestedAmount).ThenByDescending(t => t.Id),
            (TransactionSort.Amount, false) => query.OrderBy(t => t.RequestedAmount).ThenBy(t => t.Id),
            (TransactionSort.Status, true) => query.OrderByDescending(t => t.Status).ThenByDescending(t => t.CreatedAtUtc).ThenByDescending(t => t.Id),
            (TransactionSort.Status, false) => query.OrderBy(t => t.Status).ThenBy(t => t.CreatedAtUtc).ThenBy(t => t.Id),
            (TransactionSort.Gateway, true) => query.OrderByDescending(t => t.GatewayId).ThenByDescending(t => t.CreatedAtUtc).ThenByDescending(t => t.Id),
            (TransactionSort.Gateway, false) => query.OrderBy(t => t.GatewayId).ThenBy(t => t.CreatedAtUtc).ThenBy(t => t.Id),
            (_, true) => query.OrderByDescending(t => t.CreatedAtUtc).ThenByDescending(t => t.Id),
            (_, false) => query.OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id),
        };

}
