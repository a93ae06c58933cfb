using System.Globalization;
using System.Text.Json;

namespace Portal.Domain.Webhooks;

/// <summary>
/// The second card gateway's Transaction/Payment callback (spec 002): payment (amount as a
/// decimal, converted exactly with the currency's exponent), consumer, subscription and
/// metadata. The source's card number arrives masked; if a sender ever puts a full number
/// there it is masked before anything is kept.
/// </summary>
public static class CardGatewayCallbackParser
{
    private const int MaxMetadataKeys = 10;

    public static InboundPaymentEvent Parse(JsonElement root)
    {
        var f = new JsonFields();
        if (root.ValueKind != JsonValueKind.Object)
            throw new InboundValidationException(["The body must be a JSON object."]);

        var payment = f.Object(root, "payment", "payment", required: true);
        var transactionId = f.String(payment, "transactionId", "payment.transactionId", required: true, maxLength: 100);
        var rawStatus = f.String(payment, "status", "payment.status", required: true, maxLength: 40);
        var action = f.String(payment, "action", "payment.action", required: false, maxLength: 40)?.ToLowerInvariant();
        var currency = InboundMoney.Currency(f, f.String(payment, "currency", "payment.currency", required: true, maxLength: 3), "payment.currency");
        var amount = InboundMoney.FromDecimal(f, f.Decimal(payment, "amount", "payment.amount", required: true), currency, "payment.amount");
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

        var source = f.Object(payment, "source", "payment.source", required: false);
        var number = f.String(source, "number", "payment.source.number", required: false, maxLength: 30);
        var masked = number is null ? null : PayloadMasker.MaskText(number);
        var last4 = masked is { Length: >= 4 } && masked[^4..].All(char.IsDigit) ? masked[^4..] : null;

        var consumer = f.Object(root, "consumer", "consumer", required: false);
        var subscription = f.Object(root, "subscription", "subscription", required: false);
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
            Message = f.String(payment, "description", "payment.description", required: false, maxLength: 500),
            ErrorCode = f.String(payment, "code", "payment.code", required: false, maxLength: 40),
            MerchantReference = f.String(payment, "orderId", "payment.orderId", required: false, maxLength: 200),
            RedirectUrl = f.String(payment, "url", "payment.url", required: false, maxLength: 2000),
            Card = source is null ? null : new InboundCard(f.String(source, "brand", "payment.source.brand", required: false, maxLength: 40),
                last4, null, null, null, masked),
            Customer = consumer is null ? null : new InboundCustomer(
                f.String(consumer, "externalId", "consumer.externalId", required: false) ?? f.String(consumer, "id", "consumer.id", required: false),
                f.String(consumer, "email", "consumer.email", required: false),
                f.String(consumer, "firstName", "consumer.firstName", required: false),
                f.String(consumer, "lastName", "consumer.lastName", required: false),
                f.String(consumer, "phone", "consumer.phone", required: false, maxLength: 40)),
            Subscription = subscription is null ? null : new InboundSubscription(
                f.String(subscription, "id", "subscription.id", required: false),
                f.String(subscription, "status", "subscription.status", required: false, maxLength: 40),
                (int?)f.Integer(subscription, "cycle", "subscription.cycle", required: false, min: 0, max: 100_000),
                Date(f, subscription, "renewalDate"), Date(f, subscription, "cancelDate")),
            Metadata = metadata,
        };
    }

    private static Dictionary<string, string> Metadata(JsonFields f, JsonElement root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadata = f.Object(root, "metadata", "metadata", required: false);
        if (metadata is null) return result;
        foreach (var property in metadata.Value.EnumerateObject())
        {
            if (property.Name.Length > 40)
                f.Error($"metadata key '{property.Name[..20]}…' is longer than 40 characters.");
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Null => "",
                _ => null,
            };
            if (value is null)
                f.Error($"metadata.{property.Name} must be a string, number or boolean.");
            else if (value.Length > 400)
                f.Error($"metadata.{property.Name} is longer than 400 characters.");
            else
                result[property.Name] = value;
        }
        if (result.Count > MaxMetadataKeys)
            f.Error($"metadata has {result.Count} keys; at most {MaxMetadataKeys} are allowed.");
        return result;
    }

    private static DateTime? Date(JsonFields f, JsonElement? parent, string name)
    {
        var text = f.String(parent, name, "subscription." + name, required: false, maxLength: 40);
        if (text is null) return null;
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
