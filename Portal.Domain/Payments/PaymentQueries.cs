using Microsoft.EntityFrameworkCore;

namespace Portal.Domain.Payments;

/// <summary>Loading helpers for the payment aggregate.</summary>
public static class PaymentQueries
{
    /// <summary>
    /// Loads what a change needs: lines, discounts and transactions (amounts and status are
    /// recomputed from them). History is not loaded: new entries are appended without it.
    /// </summary>
    public static IQueryable<Payment> WithAggregate(this IQueryable<Payment> payments) => payments
        .Include(p => p.Lines)
        .Include(p => p.Discounts)
        .Include(p => p.Transactions)
        .AsSplitQuery();
}
