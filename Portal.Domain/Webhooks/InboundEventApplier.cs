using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Applies a validated inbound event to the payment model: finds the transaction it reports on
/// (by the gateway's transaction id, or by our tracking id), or creates the payment when the
/// source is the system of record for it (VCC phone payments, card-gateway callbacks). Status
/// changes go through the transaction's reported-status path, so a late "pending" never
/// overwrites a final status: it is recorded as refused instead.
/// </summary>
internal sealed class InboundEventApplier(ICardTokenProtector tokens)
{
    public async Task<(Payment Payment, string Note)> ApplyAsync(DbContext db, InboundPaymentEvent e, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var source = "webhook:" + e.Source.ToString().ToLowerInvariant();
        var at = e.OccurredAtUtc ?? nowUtc;
        var currency = Currency.Parse(e.Currency);

        if (e.Status == InboundStatus.Refunded && e.ParentTransactionId is not null)
            return await ApplyRefundNotificationAsync(db, e, source, at, cancellationToken);

        var transaction = await FindTransactionAsync(db, e, nowUtc, cancellationToken);
        if (transaction is not null)
        {
            var outcome = Report(transaction, e, source, at);
            return (transaction.Payment!, outcome);
        }

        if (e.Source == WebhookSource.EComCharge)
            throw new DomainException(
                $"No transaction with eComCharge uid {e.ExternalTransactionId} or tracking id {e.MerchantReference ?? "(none)"}: eComCharge charges are started by the portal.");

        var payment = await FindOpenPaymentForCallAsync(db, e, nowUtc, cancellationToken) ?? CreatePayment(db, e, currency, at);
        var added = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = Gateway(e),
            Currency = currency,
            RequestedAmount = e.AmountMinor,
            ExternalId1 = e.ExternalTransactionId,
            ExternalId2 = e.MerchantReference,
            Card = Card(e),
            HolderEmail = e.Customer?.Email,
            HolderName = e.Customer is { } c ? string.Join(' ', new[] { c.FirstName, c.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } n ? n : null : null,
            CardTokenProtected = string.IsNullOrEmpty(e.CardToken) || e.CardToken == "***" ? null : tokens.Protect(e.CardToken),
        }, source);
        var note = Report(added, e, source, at);
        return (payment, note);
    }

    private static string Report(PaymentTransaction t, InboundPaymentEvent e, string source, DateTime at)
    {
        if (t.Card is null && Card(e) is { } card) t.AttachCard(card, source, at);
        var target = e.Status switch
        {
            InboundStatus.Approved => TransactionStatus.Confirmed,
            InboundStatus.Declined => TransactionStatus.Failed,
            InboundStatus.Pending => TransactionStatus.Requested,
            InboundStatus.RequiresAction => TransactionStatus.NextAction,
            InboundStatus.Refunded => TransactionStatus.Refunded,
            _ => TransactionStatus.Cancelled,
        };

        if (target == TransactionStatus.Confirmed && t.Status != TransactionStatus.Confirmed && IsAllowed(t.Status, target))
            t.RecordReportedAmounts(new TransactionAmountsReport(Math.Max(t.RequestedAmount, e.AmountMinor), e.AmountMinor, t.VoucherAmount,
                t.NoOfVouchers, e.AmountMinor, t.RefundedAmount), source, at);
        if (target == TransactionStatus.Failed && t.Status is TransactionStatus.Requested or TransactionStatus.NextAction)
            t.RecordError(TransactionError.Create(TransactionErrorCode.Declined, e.Message, e.ErrorCode), source, at);
        if (target == TransactionStatus.NextAction && e.RedirectUrl is not null)
            return t.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, e.ExternalTransactionId, e.RedirectUrl), source, at).ToString();

        var outcome = t.ApplyReportedStatus(target, source, at, e.Message);
        return outcome switch
        {
            StatusChangeOutcome.Refused => $"Refused: the transaction is {t.Status}; a report of {target} cannot change it.",
            StatusChangeOutcome.Unchanged => $"Already {t.Status}.",
            _ => $"Transaction {t.Id} is now {t.Status}.",
        };
    }

    private static bool IsAllowed(TransactionStatus from, TransactionStatus to) => TransactionStatusTransitions.IsAllowed(from, to);

    private static async Task<(Payment, string)> ApplyRefundNotificationAsync(DbContext db, InboundPaymentEvent e, string source, DateTime at,
        CancellationToken cancellationToken)
    {
        var parent = await FindByExternalIdAsync(db, e.ParentTransactionId!, cancellationToken)
                     ?? throw new DomainException($"Refund notification for unknown transaction {e.ParentTransactionId}.");
        string Of(long minor) => new Money.Money(minor, parent.Currency).ToString();
        // Refunds the portal started are recorded by the refund service; the notification only
        // confirms them (it may arrive before the gateway's own answer, or after a lost one).
        // A refund made elsewhere (gateway back office) is recorded here.
        var portalRefund = await db.Set<Refund>()
            .Where(r => r.TransactionId == parent.Id
                        && (r.GatewayRefundId == e.ExternalTransactionId || (e.MerchantReference != null && r.IdempotencyKey == e.MerchantReference)))
            .OrderBy(r => r.CreatedAtUtc)
            .FirstOrDefaultAsync(cancellationToken);
        if (portalRefund is not null)
        {
            if (portalRefund.Status == RefundStatus.Succeeded)
                return (parent.Payment!, $"Refund {portalRefund.Id} ({e.ExternalTransactionId}) already recorded.");
            if (portalRefund.Amount != e.AmountMinor)
                throw new DomainException(
                    $"Refund notification {e.ExternalTransactionId} says {Of(e.AmountMinor)}, but portal refund {portalRefund.Id} is for {portalRefund.Money}: not applied.");
            var wasFailed = portalRefund.Status == RefundStatus.Failed;
            await RefundSettlement.SucceedAsync(db, portalRefund, e.ExternalTransactionId, e.Message ?? "Confirmed by the gateway's notification.", source, at, cancellationToken);
            return (parent.Payment!, wasFailed
                ? $"Refund {portalRefund.Id} of {Of(e.AmountMinor)} had been marked failed; the gateway reports it succeeded ({e.ExternalTransactionId}), so it is recorded now."
                : $"Refund {portalRefund.Id} of {Of(e.AmountMinor)} confirmed by the gateway ({e.ExternalTransactionId}).");
        }
        // A replay of this notification never gets here: the delivery's unique (source, event key) stops it.
        parent.RecordRefund(e.AmountMinor, source, at);
        parent.Payment!.RecordHistory(parent.Id, null, parent.Status.ToString(), at, source, applied: true,
            $"Refund {e.ExternalTransactionId} of {Of(e.AmountMinor)} reported by the gateway.");
        return (parent.Payment!, $"Refund of {Of(e.AmountMinor)} recorded on transaction {parent.Id}.");
    }

    private static async Task<PaymentTransaction?> FindTransactionAsync(DbContext db, InboundPaymentEvent e, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var byId = await FindByExternalIdAsync(db, e.ExternalTransactionId, cancellationToken);
        if (byId is not null || e.Source != WebhookSource.EComCharge || e.MerchantReference is null) return byId;
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.TrackingId == e.MerchantReference)
            .Select(t => t.PaymentId).FirstOrDefaultAsync(cancellationToken);
        if (paymentId is null) return null;
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        var transaction = payment.Transactions.Single(t => t.TrackingId == e.MerchantReference);
        if (transaction.ExternalId1 is null)
            transaction.SetExternalIds(e.ExternalTransactionId, transaction.ExternalId2, transaction.ExternalId3, "webhook:ecomcharge", nowUtc);
        return transaction;
    }

    private static async Task<PaymentTransaction?> FindByExternalIdAsync(DbContext db, string externalId, CancellationToken cancellationToken)
    {
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.ExternalId1 == externalId)
            .Select(t => t.PaymentId).FirstOrDefaultAsync(cancellationToken);
        if (paymentId is null) return null;
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        return payment.Transactions.First(t => t.ExternalId1 == externalId);
    }

    /// <summary>
    /// A phone payment started from the portal waits for its call's callback: found by the
    /// merchant reference sent with the session (echoed in client_data), else by the call uuid.
    /// </summary>
    private static async Task<Payment?> FindOpenPaymentForCallAsync(DbContext db, InboundPaymentEvent e, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (e.Call is null) return null;
        var open = db.Set<Payment>().Where(p => p.Source == PaymentSource.Vcc && p.Status == PaymentStatus.Requested);
        var paymentId = e.MerchantReference is { } reference
            ? await open.Where(p => p.ReferenceId == reference).Select(p => p.Id).FirstOrDefaultAsync(cancellationToken)
            : null;
        paymentId ??= await open.Where(p => p.CallUuid == e.Call.Uuid)
            .OrderByDescending(p => p.CreatedAtUtc)
            .Select(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (paymentId is null) return null;
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        var at = e.OccurredAtUtc ?? nowUtc;
        payment.LinkToCall(e.Call.Uuid, e.Call.AgentName ?? payment.AgentName,
            e.Call.ProjectId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? payment.ProjectId, e.Call.InCall ?? payment.InCall,
            at < payment.CreatedAtUtc ? payment.CreatedAtUtc : at);
        return payment;
    }

    private static Payment CreatePayment(DbContext db, InboundPaymentEvent e, Currency currency, DateTime at)
    {
        var payment = Payment.Create(new NewPayment
        {
            Currency = currency,
            Source = e.Source == WebhookSource.Vcc ? PaymentSource.Vcc : PaymentSource.CardGateway,
            CreatedAtUtc = at,
            ReferenceId = e.MerchantReference,
            Customer = e.Customer is { } c ? PaymentCustomer.Create(c.Id, c.Email, c.FirstName, c.LastName, c.Phone) : null,
            SelectedGatewayId = Gateway(e).Id,
            Metadata = Metadata(e),
            CallUuid = e.Call?.Uuid,
            AgentName = e.Call?.AgentName,
            ProjectId = e.Call?.ProjectId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            InCall = e.Call?.InCall ?? false,
        }, "webhook:" + e.Source.ToString().ToLowerInvariant());
        payment.AddLine(new NewPaymentLine { Quantity = 1, UnitAmount = e.AmountMinor, ProductName = e.Source == WebhookSource.Vcc ? "Phone payment" : "Card payment" });
        db.Add(payment);
        return payment;
    }

    private static IEnumerable<KeyValuePair<string, string>> Metadata(InboundPaymentEvent e)
    {
        var metadata = new Dictionary<string, string>(e.Metadata, StringComparer.Ordinal);
        if (e.Subscription is { } s && metadata.Count <= 7)
        {
            if (s.Id is not null) metadata.TryAdd("subscriptionId", s.Id);
            if (s.Cycle is not null) metadata.TryAdd("subscriptionCycle", s.Cycle.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (s.Status is not null) metadata.TryAdd("subscriptionStatus", s.Status);
        }
        return metadata;
    }

    private static GatewayRef Gateway(InboundPaymentEvent e) => e.Source switch
    {
        WebhookSource.Vcc => new GatewayRef("vcc", e.Call?.PaymentGateway is { } gw ? $"VCC ({gw})" : "VCC phone payment"),
        WebhookSource.EComCharge => new GatewayRef("ecomcharge", "eComCharge"),
        _ => new GatewayRef("cardgateway", "Card gateway"),
    };

    private static CardDetails? Card(InboundPaymentEvent e)
    {
        if (e.Card is not { Last4: { } last4 } card) return null;
        return CardDetails.Create(null, last4, card.Brand, card.ExpiryMonth, card.ExpiryYear);
    }
}
