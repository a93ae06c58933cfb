using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

public sealed record PollResult(int Polled, int Changed, int StillOpen, int Unanswered);

/// <summary>
/// Asks the card gateway about every attempt that is not final yet (Requested, NextAction) and
/// applies what changed, in bounded batches, oldest-polled first so every open attempt gets its
/// turn. An attempt whose request got no answer is found by our idempotency key (tracking id),
/// never charged again. A lost answer (Unknown) changes nothing: the next run asks again.
/// </summary>
public sealed class TransactionStatusPoller(
    IDbContextFactory<DbContext> dbFactory,
    IPaymentGateway gateway,
    ICardTokenProtector tokens,
    TimeProvider clock,
    ILogger<TransactionStatusPoller> logger)
{
    private const string Source = "job:status-poller";

    /// <summary>A charge the gateway has never heard of after this long was never made.</summary>
    public static readonly TimeSpan NotFoundGrace = TimeSpan.FromMinutes(10);

    private static readonly TransactionStatus[] Open = [TransactionStatus.Requested, TransactionStatus.NextAction];

    public async Task<PollResult> PollAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<string> batch;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            batch = await db.Set<PaymentTransaction>()
                .Where(t => t.GatewayId == gateway.Name && Open.Contains(t.Status) && (t.ExternalId1 != null || t.TrackingId != null))
                .OrderBy(t => t.LastPolledAtUtc ?? DateTime.MinValue).ThenBy(t => t.CreatedAtUtc)
                .Select(t => t.Id)
                .Take(Math.Clamp(batchSize, 1, 1000))
                .ToListAsync(cancellationToken);
            await db.Set<PaymentTransaction>().Where(t => batch.Contains(t.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastPolledAtUtc, now), cancellationToken);
        }

        int changed = 0, open = 0, unanswered = 0;
        foreach (var id in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                switch (await PollOneAsync(id, now, cancellationToken))
                {
                    case Outcome.Changed: changed++; break;
                    case Outcome.StillOpen: open++; break;
                    default: unanswered++; break;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // A webhook or a person changed the payment meanwhile: the next run sees the new state.
                open++;
            }
            catch (DomainException ex)
            {
                logger.LogWarning("Status poll of transaction {TransactionId} not applied: {Reason}", id, ex.Message);
                unanswered++;
            }
        }
        return new PollResult(batch.Count, changed, open, unanswered);
    }

    private enum Outcome { Changed, StillOpen, Unanswered }

    private async Task<Outcome> PollOneAsync(string transactionId, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.PaymentId).SingleAsync(cancellationToken);
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        var t = payment.Transactions.Single(x => x.Id == transactionId);

        var result = t.ExternalId1 is { } uid
            ? await gateway.QueryAsync(uid, cancellationToken)
            : await gateway.QueryByIdempotencyKeyAsync(t.TrackingId!, cancellationToken);

        var before = (t.Status, t.Version);
        switch (result)
        {
            case GatewayResult.Approved approved:
                if (t.ExternalId1 is null) t.SetExternalIds(approved.GatewayTransactionId, t.ExternalId2, t.ExternalId3, Source, now);
                if (approved.Card is { Last4: { Length: 4 } last4 } card && t.Card is null)
                    t.AttachCard(Payments.CardDetails.Create(null, last4, card.Brand, card.ExpiryMonth, card.ExpiryYear), Source, now);
                if (approved.Card?.Token is { } token && t.CardTokenProtected is null)
                    t.StoreProtectedCardToken(tokens.Protect(token), Source, now);
                t.RecordReportedAmounts(new TransactionAmountsReport(t.RequestedAmount, approved.AmountMinor, t.VoucherAmount, t.NoOfVouchers,
                    approved.AmountMinor, t.RefundedAmount), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Confirmed, Source, now, approved.Message ?? "Approved by the gateway.");
                break;
            case GatewayResult.Declined declined:
                if (declined.GatewayTransactionId is { } declinedId && t.ExternalId1 is null)
                    t.SetExternalIds(declinedId, t.ExternalId2, t.ExternalId3, Source, now);
                t.RecordError(TransactionError.Create(TransactionErrorCode.Declined, declined.Reason, declined.Code), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Failed, Source, now, declined.Reason);
                break;
            case GatewayResult.RequiresAction action:
                t.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, action.GatewayTransactionId, action.RedirectUrl), Source, now);
                break;
            case GatewayResult.NotFound when t.ExternalId1 is null && now - t.CreatedAtUtc > NotFoundGrace:
                t.RecordError(TransactionError.Create(TransactionErrorCode.NotCompleted,
                    "The gateway has no record of this charge: the request never reached it, so nothing was charged."), Source, now);
                t.ApplyReportedStatus(TransactionStatus.Failed, Source, now, "Not found at the gateway.");
                break;
            case GatewayResult.Unknown unknown:
                logger.LogInformation("Gateway did not answer about transaction {TransactionId}: {Reason}", transactionId, unknown.Reason);
                return Outcome.Unanswered;
            default:
                return Outcome.StillOpen;
        }

        if (before == (t.Status, t.Version)) return Outcome.StillOpen;
        await db.SaveChangesAsync(cancellationToken);
        return before.Status == t.Status ? Outcome.StillOpen : Outcome.Changed;
    }
}
