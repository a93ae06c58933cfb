using System.Text.Json;

namespace Portal.Domain.Webhooks;

/// <summary>
/// The contact centre's "Payment Transaction (Async)" callback (spec 000): masked card data,
/// amount in minor units of a lower-case currency, the call's uuid, agent and project. The
/// document spells the statuses both <c>successful</c> and <c>succesful</c> (and
/// <c>unsuccessful</c>/<c>unsuccesful</c>): both spellings are accepted.
/// </summary>
public static class VccCallbackParser
{
    public static InboundPaymentEvent Parse(JsonElement root)
    {
        var f = new JsonFields();
        if (root.ValueKind != JsonValueKind.Object)
            throw new InboundValidationException(["The body must be a JSON object."]);

        var payment = f.Object(root, "payment", "payment", required: true);
        var transactionId = f.Id(payment, "transactionid", "payment.transactionid", required: true, maxLength: 100);
        var rawStatus = f.String(payment, "status", "payment.status", required: true, maxLength: 40);
        var currency = InboundMoney.Currency(f, f.String(payment, "currency", "payment.currency", required: true, maxLength: 3), "payment.currency");
        var amount = InboundMoney.Bounded(f, f.Integer(payment, "amount", "payment.amount", required: true, min: 0), currency, "payment.amount");
        var status = rawStatus?.Trim().ToLowerInvariant() switch
        {
            null => (InboundStatus?)null,
            "successful" or "succesful" or "success" => InboundStatus.Approved,
            "unsuccessful" or "unsuccesful" or "failed" => InboundStatus.Declined,
            var other => Invalid(f, $"payment.status '{other}' is not one of successful, succesful, unsuccessful, unsuccesful."),
        };
        var message = f.Text(payment, "status_message", "payment.status_message", maxLength: 500);
        var cardToken = f.String(payment, "token", "payment.token", required: false, maxLength: 500);
        var paymentGateway = f.Text(payment, "payment_gw", "payment.payment_gw", maxLength: InboundLimits.GatewayNameMaxLength - "VCC ()".Length);

        var trailing = f.String(payment, "card_number_trailing", "payment.card_number_trailing", required: false, maxLength: 4);
        if (trailing is not null && (trailing.Length != 4 || !trailing.All(char.IsAsciiDigit)))
            f.Error("payment.card_number_trailing must be the last 4 digits of the card.");
        var length = f.Integer(payment, "card_number_length", "payment.card_number_length", required: false, min: 12, max: 19);
        var (expMonth, expYear) = Expiry(f, f.String(payment, "card_expiration", "payment.card_expiration", required: false, maxLength: 4));

        var uuid = f.Id(root, "uuid", "uuid", required: true, maxLength: InboundLimits.CallUuidMaxLength);
        var inCall = f.Boolean(root, "in_call", "in_call");
        var agentName = f.Text(root, "username", "username", maxLength: InboundLimits.AgentNameMaxLength);
        var agentId = f.Integer(root, "userid", "userid", required: false, min: 0);
        var projectId = f.Integer(root, "projectid", "projectid", required: false, min: 0);
        var occurredAt = f.Timestamp(root, "timestamp", "timestamp");

        var clientData = f.Object(root, "client_data", "client_data", required: false);
        var (first, last) = SplitName(f, f.Text(clientData, "name", "client_data.name", maxLength: InboundLimits.HolderNameMaxLength + 100));
        var email = f.Email(clientData, "email", "client_data.email");
        var phone = f.Text(clientData, "phone1", "client_data.phone1", maxLength: InboundLimits.PhoneMaxLength);
        // The contact centre's project can carry the merchant reference the portal sent with the session.
        var reference = EmptyToNull(f.Id(clientData, "merchant_reference_code", "client_data.merchant_reference_code", required: false,
            maxLength: InboundLimits.ReferenceMaxLength));

        f.ThrowIfInvalid();
        return new InboundPaymentEvent
        {
            Source = WebhookSource.Vcc,
            ExternalTransactionId = transactionId!,
            Status = status!.Value,
            ReportedStatus = rawStatus!,
            AmountMinor = amount!.Value,
            Currency = currency!,
            Message = message,
            MerchantReference = reference,
            CardToken = cardToken,
            Card = trailing is null && length is null && expMonth is null
                ? null
                : new InboundCard(null, trailing, (int?)length, expMonth, expYear, null),
            Customer = new InboundCustomer(null, email, first, last, phone),
            Call = new InboundCall(uuid!, inCall, agentName, agentId, projectId, paymentGateway),
            OccurredAtUtc = occurredAt,
        };
    }

    private static InboundStatus? Invalid(JsonFields f, string message)
    {
        f.Error(message);
        return null;
    }

    private static (int?, int?) Expiry(JsonFields f, string? mmyy)
    {
        if (mmyy is null) return (null, null);
        if (mmyy.Length == 4 && int.TryParse(mmyy[..2], out var month) && int.TryParse(mmyy[2..], out var year) && month is >= 1 and <= 12)
            return (month, 2000 + year);
        f.Error("payment.card_expiration must be MMYY.");
        return (null, null);
    }

    /// <summary>"First Rest": each part within the customer's name limit and the whole within the holder name's.</summary>
    private static (string?, string?) SplitName(JsonFields f, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return (null, null);
        var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (first, last) = parts.Length == 1 ? (parts[0], (string?)null) : (parts[0], parts[1]);
        if (first.Length > InboundLimits.NameMaxLength || last?.Length > InboundLimits.NameMaxLength
            || first.Length + 1 + (last?.Length ?? 0) > InboundLimits.HolderNameMaxLength)
        {
            f.Error($"client_data.name is too long: the first name and the rest may have at most {InboundLimits.NameMaxLength} characters each, " +
                    $"{InboundLimits.HolderNameMaxLength} in all.");
            return (null, null);
        }
        return (first, last);
    }

    private static string? EmptyToNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
