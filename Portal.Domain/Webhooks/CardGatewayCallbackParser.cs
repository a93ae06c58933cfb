using System.Globalization;
using System.Text.Json;
using Portal.Domain.Payments;

namespace Portal.Domain.Webhooks;

/// <summary>
/// The second card gateway's Transaction/Payment callback (spec 002): payment (amount as a
/// decimal, converted exactly with the currency's exponent), consumer, subscription and
/// metadata. The source's card number arrives masked; if a sender ever puts a full number
/// there it is masked before anything is kept.
/// </summary>
public static class CardGatewayCallbackParser
{
    public static InboundPaymentEvent Parse(JsonElement root)
    {
        var f = new JsonFields();
        if (root.ValueKind != JsonValueKind.Object)
            throw new InboundValidationException(["The body must be a JSON object."]);

        var payment = f.Object(root, "payment", "payment", required: true);
        var transactionId = f.Id(payment, "transactionId", "payment.transactionId", required: true, maxLength: 100);
        var rawStatus = f.String(payment, "status", "payment.status", required: true, maxLength: 40);
        var action = f.String(payment, "action", "payment.action", required: false, maxLength: 40)?.ToLowerInvariant();
        var currency = InboundMoney.Currency(f, f.String(payment, "currency", "payment.currency", required: true, maxLength: 3), "payment.currency");
        var amount = InboundMoney.Bounded(f,
            InboundMoney.FromDecimal(f, f.Decimal(payment, "amount", "payment.amount", required: true), currency, "payment.amount"),
            currency, "payment.amount");
        var status = rawStatus?.Trim().ToLowerInvariant() switch
        {
            null => (InboundStatus?)null,
            "success" or "successful" or "approved" => action is "refund" ? InboundStatus.Refunded : InboundStatus.Approved,
            "fail" or "failed" or "declined" or "error" => InboundStatus.Declined,
            "pending" or "processing" => InboundStatus.Pending,
            "3ds" or "redirect" => InboundStatus.RequiresAction,
            "refunded" => InboundStatus.Refunded,
            "cancelled" or "canceled" or "voided" or "void" => InboundStatus.Cancelled,
            var other => Invalid(f, $"payment.status '{other}' is not a known status (success, fail, pending, refunded, cancelled)."),
        };
        var message = f.Text(payment, "description", "payment.description", maxLength: 500);
        var errorCode = f.Text(payment, "code", "payment.code", maxLength: 40);
        var orderId = EmptyToNull(f.Id(payment, "orderId", "payment.orderId", required: false, maxLength: InboundLimits.ReferenceMaxLength));
        var redirectUrl = f.String(payment, "url", "payment.url", required: false, maxLength: 2000);

        var source = f.Object(payment, "source", "payment.source", required: false);
        var number = f.String(source, "number", "payment.source.number", required: false, maxLength: 30);
        var masked = number is null ? null : PayloadMasker.MaskText(number);
        var last4 = masked is { Length: >= 4 } && masked[^4..].All(char.IsAsciiDigit) ? masked[^4..] : null;
        var brand = f.Text(source, "brand", "payment.source.brand", maxLength: 40);

        var consumer = f.Object(root, "consumer", "consumer", required: false);
        var externalId = EmptyToNull(f.Id(consumer, "externalId", "consumer.externalId", required: false, maxLength: InboundLimits.CustomerIdMaxLength));
        var gatewayCustomerId = EmptyToNull(f.Id(consumer, "id", "consumer.id", required: false, maxLength: InboundLimits.CustomerIdMaxLength));
        var email = f.Email(consumer, "email", "consumer.email");
        var firstName = f.Text(consumer, "firstName", "consumer.firstName", maxLength: InboundLimits.NameMaxLength);
        var lastName = f.Text(consumer, "lastName", "consumer.lastName", maxLength: InboundLimits.NameMaxLength);
        if ((firstName?.Length ?? 0) + 1 + (lastName?.Length ?? 0) > InboundLimits.HolderNameMaxLength)
            f.Error($"consumer.firstName and consumer.lastName together are longer than the {InboundLimits.HolderNameMaxLength} characters of a card holder's name.");
        var phone = f.Text(consumer, "phone", "consumer.phone", maxLength: InboundLimits.PhoneMaxLength);

        var subscription = f.Object(root, "subscription", "subscription", required: false);
        var subscriptionId = EmptyToNull(f.Id(subscription, "id", "subscription.id", required: false, maxLength: InboundLimits.SubscriptionIdMaxLength));
        var subscriptionStatus = f.Text(subscription, "status", "subscription.status", maxLength: 40);
        var cycle = (int?)f.Integer(subscription, "cycle", "subscription.cycle", required: false, min: 0, max: 100_000);
        var renewal = Date(f, subscription, "renewalDate");
        var cancel = Date(f, subscription, "cancelDate");

        var metadata = Metadata(f, root);

        f.ThrowIfInvalid();
        return new InboundPaymentEvent
        {
            Source = WebhookSource.CardGateway,
            ExternalTransactionId = transactionId!,
            Status = status!.Value,
            ReportedStatus = rawStatus!,
            AmountMinor = amount!.Value,
            Currency = currency!,
            Message = message,
            ErrorCode = errorCode,
            MerchantReference = orderId,
            RedirectUrl = redirectUrl,
            Card = source is null ? null : new InboundCard(brand, last4, null, null, null, masked),
            Customer = consumer is null ? null : new InboundCustomer(externalId ?? gatewayCustomerId, email, firstName, lastName, phone),
            Subscription = subscription is null ? null : new InboundSubscription(subscriptionId, subscriptionStatus, cycle, renewal, cancel),
            Metadata = metadata,
        };
    }

    private static string? EmptyToNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The sender's metadata within the payment model's limits (<see cref="PaymentMetadata"/>); card numbers in values are masked.</summary>
    private static Dictionary<string, string> Metadata(JsonFields f, JsonElement root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadata = f.Object(root, "metadata", "metadata", required: false);
        if (metadata is null) return result;
        foreach (var property in metadata.Value.EnumerateObject())
        {
            var key = property.Name;
            if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsControl))
            {
                f.Error("metadata has an empty key or a key with control characters.");
                continue;
            }
            if (PayloadMasker.ContainsCardNumber(key))
            {
                f.Error($"metadata key '{PayloadMasker.MaskText(key)}' looks like a card number.");
                continue;
            }
            if (key.Length > PaymentMetadata.MaxKeyLength)
                f.Error($"metadata key '{key[..20]}…' is longer than {PaymentMetadata.MaxKeyLength} characters.");
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Null => "",
                _ => null,
            };
            if (value is null)
                f.Error($"metadata.{key} must be a string, number or boolean.");
            else if (value.Length > PaymentMetadata.MaxValueLength)
                f.Error($"metadata.{key} is longer than {PaymentMetadata.MaxValueLength} characters.");
            else if (value.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r'))
                f.Error($"metadata.{key} contains a control character.");
            else
                result[key] = PayloadMasker.MaskText(value);
        }
        if (result.Count > PaymentMetadata.MaxKeys)
            f.Error($"metadata has {result.Count} keys; at most {PaymentMetadata.MaxKeys} are allowed.");
        return result;
    }

    private static DateTime? Date(JsonFields f, JsonElement? parent, string name)
    {
        var text = f.String(parent, name, "subscription." + name, required: false, maxLength: 40);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        f.Error($"subscription.{name} must be a date (yyyy-MM-dd HH:mm:ss).");
        return null;
    }

    private static InboundStatus? Invalid(JsonFields f, string message)
    {
        f.Error(message);
        return null;
    }
}
