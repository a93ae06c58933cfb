using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Applies a validated inbound event to the payment model: finds the transaction it reports on
/// among its OWN gateway's transactions (by the gateway's transaction id, or by our tracking
/// id), or creates the payment when the source is the system of record for it (VCC phone
/// payments, card-gateway callbacks). Status changes go through the transaction's
/// reported-status path, so a late "pending" never overwrites a final status: it is recorded as
/// refused instead. Refunds go through <see cref="PaymentTransaction.RecordRefund"/> with their
/// amount, so the refund ceiling holds. An event in another currency than its transaction is
/// refused. Every refusal is a <see cref="DomainException"/>: the caller rolls back and keeps
/// the delivery as Failed with the reason.
/// </summary>
internal sealed class InboundEventApplier(ICardTokenProtector tokens)
{
    public const string EComChargeGatewayId = "ecomcharge";
    public const string VccGatewayId = "vcc";
    public const string CardGatewayId = "cardgateway";

    /// <summary>The GatewayId of the transactions a source reports on (and creates).</summary>
    public static string GatewayIdOf(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => VccGatewayId,
        WebhookSource.EComCharge => EComChargeGatewayId,
        _ => CardGatewayId,
    };

    public async Task<(Payment Payment, string Note, bool Refused)> ApplyAsync(DbContext db, InboundPaymentEvent e, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var source = "webhook:" + e.Source.ToString().ToLowerInvariant();
        var at = e.OccurredAtUtc ?? nowUtc;
        var currency = Currency.Parse(e.Currency);

        if (e.Status == InboundStatus.Refunded && e.ParentTransactionId is not null)
        {
            var (refunded, refundNote) = await ApplyRefundNotificationAsync(db, e, source, at, cancellationToken);
            return (refunded, refundNote, false);
        }

        var transaction = await FindTransactionAsync(db, e, nowUtc, cancellationToken);
        if (transaction is not null)
        {
            EnsureSameCurrency(e, transaction.Currency, $"transaction {transaction.Id}");
            var (outcome, refused) = e.Status == InboundStatus.Refunded
                ? (RecordReportedRefund(transaction, e, source, at), false)
                : Report(transaction, e, source, at);
            return (transaction.Payment!, outcome, refused);
        }

        if (e.Source == WebhookSource.EComCharge)
            throw new UnknownPaymentException(
                $"No transaction with eComCharge uid {e.ExternalTransactionId} or tracking id {e.MerchantReference ?? "(none)"}: eComCharge charges are started by the portal.");
        if (e.Status == InboundStatus.Refunded)
            throw new UnknownPaymentException(
                $"Refund callback for unknown {Gateway(e).Name} transaction {e.ExternalTransactionId}: a refund is recorded on the payment it refunds, and the portal has none with that id.");

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
        var (note, wasRefused) = Report(added, e, source, at);
        return (payment, note, wasRefused);
    }

    /// <summary>Refuses an event whose currency is not the one the portal holds for it: its amount would mean something else.</summary>
    private static void EnsureSameCurrency(InboundPaymentEvent e, Currency expected, string what)
    {
        if (!string.Equals(expected.Code, e.Currency, StringComparison.Ordinal))
            throw new DomainException(
                $"The event reports {e.AmountMinor} minor units of {e.Currency}, but {what} is in {expected.Code}: currency mismatch, not applied.");
    }

    /// <summary>
    /// A refund reported on the transaction it refunds (card gateway): recorded with its amount
    /// through the transaction's refund rule, so a partial refund leaves it RefundedPartially and
    /// one over what is still refundable is refused (nothing changes; the delivery is Failed).
    /// </summary>
    private static string RecordReportedRefund(PaymentTransaction t, InboundPaymentEvent e, string source, DateTime at)
    {
        var amount = new Money.Money(e.AmountMinor, t.Currency);
        t.RecordRefund(e.AmountMinor, source, at);
        t.Payment!.RecordHistory(t.Id, null, t.Status.ToString(), at, source, applied: true,
            $"Refund of {amount} reported by the gateway for {e.ExternalTransactionId}.");
        return $"Refund of {amount} recorded on transaction {t.Id}; it is now {t.Status} ({new Money.Money(t.RefundedAmount, t.Currency)} refunded).";
    }

    /// <returns>The note for the delivery, and whether the reported status was refused (recorded, not applied).</returns>
    private static (string Note, bool Refused) Report(PaymentTransaction t, InboundPaymentEvent e, string source, DateTime at)
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
        {
            var requested = t.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, e.ExternalTransactionId, e.RedirectUrl), source, at);
            return (requested.ToString(), requested == StatusChangeOutcome.Refused);
        }

        var outcome = t.ApplyReportedStatus(target, source, at, e.Message);
        return outcome switch
        {
            StatusChangeOutcome.Refused => ($"Refused: the transaction is {t.Status}; a report of {target} cannot change it.", true),
            StatusChangeOutcome.Unchanged => ($"Already {t.Status}.", false),
            _ => ($"Transaction {t.Id} is now {t.Status}.", false),
        };
    }

    private static bool IsAllowed(TransactionStatus from, TransactionStatus to) => TransactionStatusTransitions.IsAllowed(from, to);

    private static async Task<(Payment, string)> ApplyRefundNotificationAsync(DbContext db, InboundPaymentEvent e, string source, DateTime at,
        CancellationToken cancellationToken)
    {
        var parent = await FindByExternalIdAsync(db, GatewayIdOf(e.Source), e.ParentTransactionId!, cancellationToken)
                     ?? throw new UnknownPaymentException($"Refund notification for unknown transaction {e.ParentTransactionId}.");
        EnsureSameCurrency(e, parent.Currency, $"the refunded transaction {parent.Id}");
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
        var gatewayId = GatewayIdOf(e.Source);
        var byId = await FindByExternalIdAsync(db, gatewayId, e.ExternalTransactionId, cancellationToken);
        if (byId is not null || e.Source != WebhookSource.EComCharge || e.MerchantReference is null) return byId;
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.TrackingId == e.MerchantReference && t.GatewayId == gatewayId)
            .Select(t => t.PaymentId).FirstOrDefaultAsync(cancellationToken);
        if (paymentId is null) return null;
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId, cancellationToken);
        var transaction = payment.Transactions.Single(t => t.TrackingId == e.MerchantReference);
        EnsureSameCurrency(e, transaction.Currency, $"transaction {transaction.Id}");
        if (transaction.ExternalId1 is null)
            transaction.SetExternalIds(e.ExternalTransactionId, transaction.ExternalId2, transaction.ExternalId3, "webhook:ecomcharge", nowUtc);
        return transaction;
    }

    /// <summary>
    /// The transactions of one gateway that carry a gateway transaction id: a webhook only ever
    /// matches its own gateway's transactions (ids of different gateways may collide). Served by
    /// the (GatewayId, ExternalId1) index.
    /// </summary>
    internal static IQueryable<PaymentTransaction> TransactionsWithExternalId(DbContext db, string gatewayId, string externalId) =>
        db.Set<PaymentTransaction>().Where(t => t.GatewayId == gatewayId && t.ExternalId1 == externalId);

    private static async Task<PaymentTransaction?> FindByExternalIdAsync(DbContext db, string gatewayId, string externalId, CancellationToken cancellationToken)
    {
        var matches = await TransactionsWithExternalId(db, gatewayId, externalId)
            .Select(t => new { t.Id, t.PaymentId }).Take(2).ToListAsync(cancellationToken);
        if (matches.Count == 0) return null;
        // The pair is not unique in the database (see PaymentTransactionConfiguration): rather than
        // guess which attempt a report is about, refuse it and let a person look.
        if (matches.Count > 1)
            throw new DomainException(
                $"Several {gatewayId} transactions ({matches[0].Id}, {matches[1].Id}) carry the gateway id {externalId}: the event is not applied to any of them.");
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == matches[0].PaymentId, cancellationToken);
        return payment.Transactions.Single(t => t.Id == matches[0].Id);
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
        EnsureSameCurrency(e, payment.Currency, $"the phone payment {payment.Id} waiting for this call");
        var at = e.OccurredAtUtc ?? nowUtc;
        payment.LinkToCall(e.Call.Uuid, e.Call.AgentName ?? payment.AgentName,
            e.Call.ProjectId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? payment.ProjectId, e.Call.InCall ?? payment.InCall,
            at < payment.CreatedAtUtc ? payment.CreatedAtUtc : at);
        return payment;
    }

    private static Payment CreatePayment(DbContext db, InboundPaymentEvent e, Currency currency, DateTime at)
    {
        var source = "webhook:" + e.Source.ToString().ToLowerInvariant();
        var (metadata, notKept) = Metadata(e);
        var payment = Payment.Create(new NewPayment
        {
            Currency = currency,
            Source = e.Source == WebhookSource.Vcc ? PaymentSource.Vcc : PaymentSource.CardGateway,
            CreatedAtUtc = at,
            ReferenceId = e.MerchantReference,
            Customer = e.Customer is { } c ? PaymentCustomer.Create(c.Id, c.Email, c.FirstName, c.LastName, c.Phone) : null,
            SelectedGatewayId = Gateway(e).Id,
            Metadata = metadata,
            CallUuid = e.Call?.Uuid,
            AgentName = e.Call?.AgentName,
            ProjectId = e.Call?.ProjectId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            InCall = e.Call?.InCall ?? false,
        }, source);
        if (notKept.Count > 0)
            payment.RecordHistory(null, null, payment.Status.ToString(), at, source, applied: true,
                $"Subscription details not kept in the metadata (at most {PaymentMetadata.MaxKeys} keys; the sender's own keys come first): {string.Join(", ", notKept)}.");
        payment.AddLine(new NewPaymentLine { Quantity = 1, UnitAmount = e.AmountMinor, ProductName = e.Source == WebhookSource.Vcc ? "Phone payment" : "Card payment" });
        db.Add(payment);
        return payment;
    }

    /// <summary>
    /// The sender's metadata, then the subscription (card gateway) as subscriptionId,
    /// subscriptionStatus, subscriptionCycle, subscriptionRenewalDate, subscriptionCancelDate
    /// (dates in UTC, ISO 8601) in that order while the payment's metadata has room (10 keys) and
    /// the sender did not use the key itself. What does not fit is returned as "key=value" so it
    /// is written to the payment's history instead of being dropped.
    /// </summary>
    private static (Dictionary<string, string> Metadata, List<string> NotKept) Metadata(InboundPaymentEvent e)
    {
        var metadata = new Dictionary<string, string>(e.Metadata, StringComparer.Ordinal);
        var notKept = new List<string>();
        if (e.Subscription is not { } s) return (metadata, notKept);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var entries = new (string Key, string? Value)[]
        {
            ("subscriptionId", s.Id),
            ("subscriptionStatus", s.Status),
            ("subscriptionCycle", s.Cycle?.ToString(culture)),
            ("subscriptionRenewalDate", s.RenewalDateUtc?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", culture)),
            ("subscriptionCancelDate", s.CancelDateUtc?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", culture)),
        };
        foreach (var (key, value) in entries)
        {
            if (value is null) continue;
            if (metadata.Count < PaymentMetadata.MaxKeys && metadata.TryAdd(key, value)) continue;
            notKept.Add($"{key}={value}");
        }
        return (metadata, notKept);
    }

    private static GatewayRef Gateway(InboundPaymentEvent e) => e.Source switch
    {
        WebhookSource.Vcc => new GatewayRef(VccGatewayId, e.Call?.PaymentGateway is { } gw ? $"VCC ({gw})" : "VCC phone payment"),
        WebhookSource.EComCharge => new GatewayRef(EComChargeGatewayId, "eComCharge"),
        _ => new GatewayRef(CardGatewayId, "Card gateway"),
    };

    private static CardDetails? Card(InboundPaymentEvent e)
    {
        if (e.Card is not { Last4: { } last4 } card) return null;
        return CardDetails.Create(null, last4, card.Brand, card.ExpiryMonth, card.ExpiryYear);
    }
}
