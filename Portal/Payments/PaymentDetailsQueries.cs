using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Persistence;

namespace Portal.Payments;

/// <summary>
/// Everything the payment page shows. <see cref="Recomputed"/> is computed now from the loaded
/// lines, discounts and transactions, so the page can put it beside what the gateway reported
/// (and beside the stored totals, which the model keeps equal to it).
/// </summary>
public sealed record PaymentDetails(Payment Payment, AmountsBreakdown Recomputed, IReadOnlyList<DiscountStep> Discounts,
    IReadOnlyList<TimelineEntry> Timeline)
{
    public IReadOnlyList<PaymentStatusChange> RefusedChanges => Payment.StatusChanges.Where(c => !c.Applied).ToList();
}

/// <summary>A discount in application order with what it took off and the running total after it.</summary>
public sealed record DiscountStep(PaymentDiscount Discount, long Applied, long RunningTotal);

/// <summary>Read side of the payment page: one payment with its parts, history, audit entries and callbacks.</summary>
public sealed class PaymentDetailsQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <returns>Null when there is no payment with that id.</returns>
    public async Task<PaymentDetails?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > Ids.MaxLength) return null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Seven statements (split aggregate, history, audit, callbacks) on one connection.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var payment = await db.Set<Payment>().AsNoTracking().WithAggregateAndHistory()
            .SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is null) return null;

        var audits = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.PaymentId == id)
            .OrderByDescending(a => a.OccurredAtUtc).Take(500)
            .ToListAsync(cancellationToken);
        var webhooks = await db.Set<WebhookDelivery>().AsNoTracking()
            .Where(w => w.PaymentId == id)
            .OrderByDescending(w => w.ReceivedAtUtc).Take(500)
            .Select(w => new WebhookTimelineItem(w.Id, w.Source, w.ReportedStatus, w.ReceivedAtUtc, w.Status, w.Error))
            .ToListAsync(cancellationToken);

        var recomputed = PaymentAmounts.Compute(
            payment.Lines.Select(l => new LineAmounts(l.Quantity, l.UnitAmount, l.UnitDiscountAmount, l.DiscountAmount)),
            payment.Discounts.Select(d => new DiscountRule(d.Amount, d.Type, d.Value, d.Index)),
            payment.Transactions.Select(t => new TransactionAmounts(t.Status, t.ProcessedAmount, t.VoucherAmount)));
        return new PaymentDetails(payment, recomputed, DiscountSteps(payment, recomputed),
            PaymentTimeline.Merge(payment.StatusChanges, audits, webhooks));
    }

    /// <summary>The masked payload of a callback, only if it belongs to this payment.</summary>
    public async Task<string?> WebhookPayloadAsync(string paymentId, long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<WebhookDelivery>().AsNoTracking()
            .Where(w => w.Id == deliveryId && w.PaymentId == paymentId)
            .Select(w => w.MaskedPayload)
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Discounts in the order the calculator applies them (index, then the order added), with the running total.</summary>
    internal static IReadOnlyList<DiscountStep> DiscountSteps(Payment payment, AmountsBreakdown amounts)
    {
        var running = amounts.TotalAmount;
        var steps = new List<DiscountStep>();
        foreach (var position in Enumerable.Range(0, payment.Discounts.Count)
                     .OrderBy(i => payment.Discounts[i].Index).ThenBy(i => i))
        {
            var applied = amounts.DiscountAppliedAmounts[position];
            running -= applied;
            steps.Add(new DiscountStep(payment.Discounts[position], applied, running));
        }
        return steps;
    }
}
