using System.Text.Json;

namespace Portal.Domain.Webhooks;

/// <summary>
/// eComCharge notifications (spec 001): the gateway posts the transaction response format,
/// <c>{"transaction": {...}}</c>, for payments and refunds.
/// </summary>
public static class EComChargeNotificationParser
{
    public static InboundPaymentEvent Parse(JsonElement root)
    {
        var f = new JsonFields();
        if (root.ValueKind != JsonValueKind.Object)
            throw new InboundValidationException(["The body must be a JSON object."]);

        var tx = f.Object(root, "transaction", "transaction", required: true);
        var uid = f.Id(tx, "uid", "transaction.uid", required: true, maxLength: 100);
        var rawStatus = f.String(tx, "status", "transaction.status", required: true, maxLength: 40);
        var type = f.String(tx, "type", "transaction.type", required: false, maxLength: 40)?.ToLowerInvariant();
        var currency = InboundMoney.Currency(f, f.String(tx, "currency", "transaction.currency", required: true, maxLength: 3), "transaction.currency");
        var amount = InboundMoney.Bounded(f, f.Integer(tx, "amount", "transaction.amount", required: true, min: 0), currency, "transaction.amount");
        var isRefund = type == "refund";
        var status = rawStatus?.Trim().ToLowerInvariant() switch
        {
            null => (InboundStatus?)null,
            "successful" => isRefund ? InboundStatus.Refunded : InboundStatus.Approved,
            "failed" or "declined" or "error" => InboundStatus.Declined,
            "incomplete" => InboundStatus.RequiresAction,
            "pending" => InboundStatus.Pending,
            "expired" or "canceled" or "cancelled" or "voided" => InboundStatus.Cancelled,
            var other => Invalid(f, $"transaction.status '{other}' is not one of successful, failed, incomplete, pending, expired."),
        };
        var parent = f.Id(tx, "parent_uid", "transaction.parent_uid", required: isRefund, maxLength: 100);
        // Our idempotency key (tracking ids the portal mints are at most 100 characters).
        var trackingId = EmptyToNull(f.Id(tx, "tracking_id", "transaction.tracking_id", required: false, maxLength: 255));
        var message = f.Text(tx, "message", "transaction.message", maxLength: 500);
        var redirectUrl = f.String(tx, "redirect_url", "transaction.redirect_url", required: false, maxLength: 2000);
        var occurredAt = f.Timestamp(tx, "updated_at", "transaction.updated_at");
        var createdAt = f.Timestamp(tx, "created_at", "transaction.created_at");

        var card = f.Object(tx, "credit_card", "transaction.credit_card", required: false);
        var last4 = f.String(card, "last_4", "transaction.credit_card.last_4", required: false, maxLength: 4);
        if (last4 is not null && (last4.Length != 4 || !last4.All(char.IsAsciiDigit)))
            f.Error("transaction.credit_card.last_4 must be 4 digits.");
        var expMonth = f.Integer(card, "exp_month", "transaction.credit_card.exp_month", required: false, min: 1, max: 12);
        var expYear = f.Integer(card, "exp_year", "transaction.credit_card.exp_year", required: false, min: 2000, max: 2100);
        var cardToken = f.String(card, "token", "transaction.credit_card.token", required: false, maxLength: 500);
        var brand = f.Text(card, "brand", "transaction.credit_card.brand", maxLength: 40);

        var customer = f.Object(tx, "customer", "transaction.customer", required: false);
        var email = f.Email(customer, "email", "transaction.customer.email");
        var billing = f.Object(tx, "billing_address", "transaction.billing_address", required: false);
        var firstName = f.Text(billing, "first_name", "transaction.billing_address.first_name", maxLength: InboundLimits.NameMaxLength);
        var lastName = f.Text(billing, "last_name", "transaction.billing_address.last_name", maxLength: InboundLimits.NameMaxLength);
        var phone = f.Text(billing, "phone", "transaction.billing_address.phone", maxLength: InboundLimits.PhoneMaxLength);

        f.ThrowIfInvalid();
        return new InboundPaymentEvent
        {
            Source = WebhookSource.EComCharge,
            ExternalTransactionId = uid!,
            Status = status!.Value,
            ReportedStatus = rawStatus!,
            AmountMinor = amount!.Value,
            Currency = currency!,
            Message = message,
            MerchantReference = trackingId,
            ParentTransactionId = parent,
            RedirectUrl = redirectUrl,
            CardToken = cardToken,
            Card = card is null ? null : new InboundCard(brand, last4, null, (int?)expMonth, (int?)expYear, null),
            Customer = customer is null && billing is null ? null : new InboundCustomer(null, email, firstName, lastName, phone),
            OccurredAtUtc = occurredAt ?? createdAt,
        };
    }

    private static string? EmptyToNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static InboundStatus? Invalid(JsonFields f, string message)
    {
        f.Error(message);
        return null;
    }
}
