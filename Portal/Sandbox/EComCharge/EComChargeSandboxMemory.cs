using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Gateways.EComCharge;
using Portal.Persistence;

namespace Portal.Sandbox.EComCharge;

/// <summary>
/// The sandbox keeps its transactions in memory, so a restart (or demo data seeded without it)
/// would leave it not knowing charges the portal has on record, and refunds and status queries
/// on them would fail as "unknown". A real gateway remembers; this is the sandbox's memory: when it
/// is asked about a uid or tracking id it does not hold, it adopts the eComCharge charge the portal
/// recorded under that id (amount, currency, refunded so far, and its status as the gateway would
/// report it), then answers as usual. Ids the portal never recorded stay unknown (404).
/// </summary>
public sealed class EComChargeSandboxMemory(IDbContextFactory<PortalDbContext> dbFactory, EComChargeSandboxStore store)
{
    public async Task RecallAsync(string uid, CancellationToken cancellationToken)
    {
        if (store.StatusOf(uid) is not null) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdoptAsync(db.Set<PaymentTransaction>().Where(t => t.GatewayId == EComChargeGateway.GatewayName && t.ExternalId1 == uid), cancellationToken);
    }

    public async Task RecallByTrackingIdAsync(string trackingId, CancellationToken cancellationToken)
    {
        if (store.TransactionCount(trackingId) > 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdoptAsync(db.Set<PaymentTransaction>().Where(t => t.GatewayId == EComChargeGateway.GatewayName && t.TrackingId == trackingId
                                                                  && t.ExternalId1 != null), cancellationToken);
    }

    private async Task AdoptAsync(IQueryable<PaymentTransaction> matches, CancellationToken cancellationToken)
    {
        var recorded = await matches.AsNoTracking()
            .Select(t => new { t.ExternalId1, t.TrackingId, t.Status, t.RequestedAmount, t.ConfirmedAmount, t.RefundedAmount, t.Currency, t.CreatedAtUtc })
            .OrderBy(t => t.CreatedAtUtc).ThenBy(t => t.ExternalId1)
            .Take(5)
            .ToListAsync(cancellationToken);
        foreach (var t in recorded)
        {
            var status = GatewayStatus(t.Status);
            store.Adopt(t.ExternalId1!, t.TrackingId, status == "successful" ? t.ConfirmedAmount : t.RequestedAmount, t.Currency.Code,
                status, t.RefundedAmount, new DateTimeOffset(t.CreatedAtUtc, TimeSpan.Zero));
        }
    }

    /// <summary>What eComCharge would say about a charge the portal recorded in this status.</summary>
    internal static string GatewayStatus(TransactionStatus status) => status switch
    {
        TransactionStatus.Paid or TransactionStatus.Confirmed or TransactionStatus.RefundedPartially or TransactionStatus.Refunded
            or TransactionStatus.ImpossibleRefund => "successful",
        // Undecided at the portal: the gateway has not decided either (it stays pending; nothing resolves it by itself).
        TransactionStatus.Requested or TransactionStatus.NextAction => "pending",
        _ => "failed",
    };
}
