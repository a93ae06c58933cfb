using Microsoft.EntityFrameworkCore;
using Portal.Domain.Refunds;
using Portal.Persistence;

namespace Portal.Refunds;

/// <summary>Filters of the Refunds page; dates are whole UTC days, both inclusive.</summary>
public sealed record RefundFilter(RefundStatus? Status, DateOnly? From, DateOnly? To, string? RequestedByUserId, string? PaymentId = null);

public sealed record RefundRow(string Id, string PaymentId, string TransactionId, long Amount, string Currency, RefundReason Reason,
    string? Note, RefundStatus Status, string? GatewayId, string? GatewayRefundId, string? GatewayMessage, string RequestedByUserId,
    string RequestedByName, DateTime CreatedAtUtc, DateTime? CompletedAtUtc, DateTime? FlaggedAtUtc = null, string? FlagReason = null);

public sealed record RefundAdmin(string UserId, string Name);

/// <summary>Read side of the Refunds page and the payment page's refunds: paged in the database, newest first.</summary>
public sealed class RefundQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<RefundRow> Rows, int Total)> ListAsync(RefundFilter filter, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Refund>().AsNoTracking();
        if (filter.Status is { } status) query = query.Where(r => r.Status == status);
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(r => r.CreatedAtUtc >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(r => r.CreatedAtUtc < end);
        }
        if (!string.IsNullOrWhiteSpace(filter.RequestedByUserId)) query = query.Where(r => r.RequestedByUserId == filter.RequestedByUserId);
        if (!string.IsNullOrWhiteSpace(filter.PaymentId)) query = query.Where(r => r.PaymentId == filter.PaymentId);

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(r => r.CreatedAtUtc).ThenByDescending(r => r.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(r => new RefundRow(r.Id, r.PaymentId, r.TransactionId, r.Amount, r.Currency.Code, r.Reason, r.Note, r.Status,
                r.GatewayId, r.GatewayRefundId, r.GatewayMessage, r.RequestedByUserId, r.RequestedByName, r.CreatedAtUtc, r.CompletedAtUtc,
                r.FlaggedAtUtc, r.FlagReason))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>Everyone who has asked for a refund (for the admin filter).</summary>
    public async Task<IReadOnlyList<RefundAdmin>> AdminsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var admins = await db.Set<Refund>().AsNoTracking()
            .GroupBy(r => r.RequestedByUserId)
            .Select(g => new RefundAdmin(g.Key, g.Max(r => r.RequestedByName)!))
            .ToListAsync(cancellationToken);
        return admins.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }


    /// <summary>The refunds of one payment, newest first (for the payment page).</summary>
    public async Task<IReadOnlyList<RefundRow>> ForPaymentAsync(string paymentId, CancellationToken cancellationToken = default) =>
        (await ListAsync(new RefundFilter(null, null, null, null, paymentId), 0, 200, cancellationToken)).Rows;
}
