using Microsoft.EntityFrameworkCore;

namespace Portal.Domain.Payments;

/// <summary>Loading helpers for the payment aggregate.</summary>
public static class PaymentQueries
{
    /// <summary>
    /// Loads what a change needs: lines, discounts and transactions (amounts and status are
    /// recomputed from them), each in the order it was added. History is not loaded: new
    /// entries are appended without it.
    /// </summary>
    public static IQueryable<Payment> WithAggregate(this IQueryable<Payment> payments) => payments
        .Include(p => p.Lines.OrderBy(l => l.Position))
        .Include(p => p.Discounts.OrderBy(d => d.Position))
        .Include(p => p.Transactions.OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.Id))
        .AsSplitQuery();

    /// <summary>The aggregate plus its whole status history, oldest first (for the payment page).</summary>
    public static IQueryable<Payment> WithAggregateAndHistory(this IQueryable<Payment> payments) => payments
        .WithAggregate()
        .Include(p => p.StatusChanges.OrderBy(c => c.AtUtc).ThenBy(c => c.Id));
}
