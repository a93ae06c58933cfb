using System.Net;
using System.Text.Json;
using Portal.Domain.Gateways;

namespace Portal.Gateways.EComCharge;

internal enum EComChargeOperation
{
    Charge,
    Refund,
    Query,
}

/// <summary>
/// Turns one eComCharge exchange into a <see cref="GatewayResult"/>. Every status code is
/// checked: 2xx is parsed; 404 on a query is NotFound; other 4xx refuse a charge or refund
/// (Declined, with the gateway's message) but leave a query Unknown; 408, 429, 5xx, transport
/// failures, timeouts and bodies that cannot be read are Unknown (the money may have moved).
/// </summary>
internal static class EComChargeResultMapper
{
    public static GatewayResult Map(GatewayExchange exchange, EComChargeOperation operation)
    {
        if (!exchange.Answered)
            return new GatewayResult.Unknown(exchange.Failure ?? "no answer");
        var code = (int)exchange.Status!.Value;
        if (code >= 500 || exchange.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            return new GatewayResult.Unknown($"HTTP {code} from eComCharge: {GatewayExchange.Excerpt(ErrorMessage(exchange.Body) ?? exchange.Body)}");
        if (code >= 400)
        {
            var message = ErrorMessage(exchange.Body) ?? $"HTTP {code}";
            if (operation == EComChargeOperation.Query)
            {
                return exchange.Status == HttpStatusCode.NotFound
                    ? new GatewayResult.NotFound(message)
                    : new GatewayResult.Unknown($"HTTP {code} from eComCharge: {GatewayExchange.Excerpt(message)}");
            }
            // The gateway refused the request itself (validation, credentials, unknown parent): nothing moved.
            return new GatewayResult.Declined(null, message, $"http_{code}", IsHardDecline: exchange.Status != HttpStatusCode.Conflict);
        }
        if (code is < 200 or >= 300)
            return new GatewayResult.Unknown($"unexpected HTTP {code} from eComCharge");

        EComChargeResponseEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<EComChargeResponseEnvelope>(exchange.Body ?? "", EComChargeJson.Options);
        }
        catch (JsonException ex)
        {
            return new GatewayResult.Unknown($"malformed JSON from eComCharge: {ex.Message}");
        }
        var transaction = envelope?.Transaction ?? envelope?.Transactions?.FirstOrDefault();
        if (transaction is null)
        {
            return operation == EComChargeOperation.Query && envelope?.Transactions is { Count: 0 }
                ? new GatewayResult.NotFound("no transaction with this tracking id")
                : new GatewayResult.Unknown("eComCharge answered without a transaction");
        }
        return MapTransaction(transaction);
    }

    internal static GatewayResult MapTransaction(EComChargeTransaction t)
    {
        if (string.IsNullOrWhiteSpace(t.Uid))
            return new GatewayResult.Unknown("eComCharge transaction without a uid");
        var checks = Checks(t);
        GatewayResult result = t.Status?.ToLowerInvariant() switch
        {
            "successful" when t.Amount is null || string.IsNullOrWhiteSpace(t.Currency) =>
                new GatewayResult.Unknown($"successful transaction {t.Uid} without amount or currency"),
            "successful" => new GatewayResult.Approved(t.Uid, t.Amount!.Value, t.Currency!.ToUpperInvariant())
            {
                Card = Card(t.CreditCard),
                AuthCode = t.Payment?.AuthCode,
                Rrn = t.Payment?.Rrn,
                Message = t.Message,
                Checks = checks,
            },
            "failed" or "declined" or "error" => Declined(t, checks),
            "incomplete" when !string.IsNullOrWhiteSpace(t.RedirectUrl) => new GatewayResult.RequiresAction(t.Uid, t.RedirectUrl),
            "incomplete" or "pending" => new GatewayResult.Pending(t.Uid, t.Message),
            _ => new GatewayResult.Unknown($"unrecognised status '{t.Status}' of transaction {t.Uid}"),
        };
        return result with { IdempotencyKey = t.TrackingId, ParentTransactionId = t.ParentUid, TransactionType = t.Type };
    }

    private static GatewayResult.Declined Declined(EComChargeTransaction t, GatewayChecks? checks)
    {
        var reason = FirstNonEmpty(t.Message, t.Payment?.Message, checks?.RiskMessage) ?? "declined";
        var code = t.Payment?.BankCode;
        return new GatewayResult.Declined(
            t.Uid,
            reason,
            code,
            EComChargeDeclineRules.IsHard(code, reason, checks?.RiskCheckFailed ?? false))
        {
            Card = Card(t.CreditCard),
            Checks = checks,
        };
    }

    private static GatewayChecks? Checks(EComChargeTransaction t)
    {
        var risk = t.BeProtectedVerification;
        var avs = t.AvsCvcVerification?.AvsVerification?.ResultCode;
        var cvc = t.AvsCvcVerification?.CvcVerification?.ResultCode;
        return risk is null && avs is null && cvc is null
            ? null
            : new GatewayChecks(risk?.Status, risk?.Message, avs, cvc);
    }

    private static CardDetails? Card(EComChargeCard? card) =>
        card is null ? null : new CardDetails(card.Brand, card.Last4, card.ExpMonth, card.ExpYear, card.Token);

    /// <summary>The message of an error body (<c>{"message"}</c> or <c>{"response": {"message"}}</c>), when it has one.</summary>
    private static string? ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            var envelope = JsonSerializer.Deserialize<EComChargeResponseEnvelope>(body, EComChargeJson.Options);
            return FirstNonEmpty(envelope?.Message, envelope?.Response?.Message, envelope?.Transaction?.Message);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
