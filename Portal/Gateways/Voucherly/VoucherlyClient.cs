using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Portal.Gateways.Voucherly;

/// <summary>
/// Voucherly's payments API (003_929307138958c053.txt).
/// <list type="bullet">
/// <item><c>GET /payments/{id}</c> returns the Payment object, read into <see cref="VoucherlyPayment"/>.</item>
/// <item><b>ASSUMPTION</b> (the document has no refund contract; DESIGN.md fixes this one):
/// <c>POST /payments/{id}/refund</c> with body <c>{"transactionId": "...", "amount": 1234}</c>
/// (cents) refunds that much of that transaction and answers 200 with the updated Payment
/// object; a 4xx with <c>{"message"}</c> refuses it. The request carries no idempotency key, so
/// it is never retried: after a lost answer, read the payment again and compare
/// <c>refundedAmount</c>.</item>
/// <item>Authentication (also an assumption): <c>Authorization: Bearer &lt;Gateways:Voucherly:ApiKey&gt;</c>.</item>
/// </list>
/// IBANs and anything that looks like a full card number are masked before the DTO leaves the adapter.
/// </summary>
public sealed class VoucherlyClient(
    HttpClient http,
    GatewayBaseAddresses addresses,
    IOptionsMonitor<VoucherlyOptions> options,
    ILogger<VoucherlyClient> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a payment (retried on 5xx and connection failures: a read is always safe).</summary>
    public async Task<VoucherlyResult> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        using var message = new HttpRequestMessage(HttpMethod.Get, Uri(paymentId, "")).MarkRetrySafe();
        var result = Map(await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false));
        logger.LogInformation("Voucherly get payment {PaymentId}: {Outcome}", paymentId, Describe(result));
        return result;
    }

    /// <summary>Refunds <paramref name="amountMinor"/> cents of one transaction of a payment (see the assumption above).</summary>
    public async Task<VoucherlyResult> RefundAsync(string paymentId, string transactionId, long amountMinor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        var json = JsonSerializer.Serialize(new VoucherlyRefundRequest(transactionId, amountMinor), Json);
        using var message = new HttpRequestMessage(HttpMethod.Post, Uri(paymentId, "/refund"))
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        var result = Map(await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false));
        logger.LogInformation(
            "Voucherly refund {AmountMinor} of transaction {TransactionId} of payment {PaymentId}: {Outcome}",
            amountMinor, transactionId, paymentId, Describe(result));
        return result;
    }

    private Uri Uri(string paymentId, string suffix) =>
        new(addresses.For(options.CurrentValue), "payments/" + System.Uri.EscapeDataString(paymentId) + suffix);

    internal static VoucherlyResult Map(GatewayExchange exchange)
    {
        if (!exchange.Answered)
            return new VoucherlyResult.Unknown(exchange.Failure ?? "no answer");
        var code = (int)exchange.Status!.Value;
        if (code >= 500 || exchange.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            return new VoucherlyResult.Unknown($"HTTP {code} from Voucherly: {GatewayExchange.Excerpt(exchange.Body)}");
        if (exchange.Status == HttpStatusCode.NotFound)
            return new VoucherlyResult.NotFound(ErrorMessage(exchange.Body));
        if (code >= 400)
            return new VoucherlyResult.Rejected(code, ErrorMessage(exchange.Body) ?? $"HTTP {code}");
        if (code is < 200 or >= 300)
            return new VoucherlyResult.Unknown($"unexpected HTTP {code} from Voucherly");
        try
        {
            var payment = JsonSerializer.Deserialize<VoucherlyPayment>(exchange.Body ?? "", Json);
            if (payment?.Id is null)
                return new VoucherlyResult.Unknown("Voucherly answered without a payment id");
            Mask(payment);
            return new VoucherlyResult.Ok(payment);
        }
        catch (JsonException ex)
        {
            return new VoucherlyResult.Unknown($"malformed JSON from Voucherly: {ex.Message}");
        }
    }

    /// <summary>Masks IBANs (country code and last 4 kept) and full card numbers (last 4 kept) in place.</summary>
    internal static void Mask(VoucherlyPayment payment)
    {
        foreach (var transaction in payment.Transactions ?? [])
        {
            if (transaction.DirectDebit is { AccountIban: { } iban } debit)
                debit.AccountIban = MaskIban(iban);
            if (transaction.CreditCard is { Pan: { } pan } card)
                card.Pan = MaskPan(pan);
        }
    }

    internal static string MaskIban(string iban)
    {
        var compact = new string(iban.Where(char.IsLetterOrDigit).ToArray());
        if (compact.Length <= 6)
            return new string('*', compact.Length);
        return compact[..2] + new string('*', compact.Length - 6) + compact[^4..];
    }

    internal static string MaskPan(string pan)
    {
        var digits = pan.Count(char.IsAsciiDigit);
        // Already masked (e.g. "411111******1111", "**** 1111"): fewer than 12 visible digits.
        if (digits < 12)
            return pan;
        var compact = new string(pan.Where(char.IsAsciiDigit).ToArray());
        return new string('*', compact.Length - 4) + compact[^4..];
    }

    private static string? ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("message", out var m)
                   && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : GatewayExchange.Excerpt(body);
        }
        catch (JsonException)
        {
            return GatewayExchange.Excerpt(body);
        }
    }

    private static string Describe(VoucherlyResult result) => result switch
    {
        VoucherlyResult.Ok ok => $"Ok {ok.Payment.Status}",
        VoucherlyResult.NotFound => "NotFound",
        VoucherlyResult.Rejected r => $"Rejected {r.StatusCode}: {r.Message}",
        VoucherlyResult.Unknown u => $"Unknown: {u.Reason}",
        _ => result.GetType().Name,
    };
}

internal sealed record VoucherlyRefundRequest(string TransactionId, long Amount);
