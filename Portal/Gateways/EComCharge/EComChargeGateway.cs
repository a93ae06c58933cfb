using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Domain.Gateways;
using Portal.Sandbox;

namespace Portal.Gateways.EComCharge;

/// <summary>
/// The eComCharge card API (001_33a299db6d31757f.txt) behind <see cref="IPaymentGateway"/>:
/// token charges (<c>POST /transactions/payments</c>), refunds (<c>POST /transactions/refunds</c>),
/// and status queries (<c>GET /transactions/{uid}</c>, <c>GET /transactions/tracking_id/{id}</c>).
/// The idempotency key travels as <c>tracking_id</c>; only requests that carry one (and queries)
/// are retried. Card tokens are never logged.
/// </summary>
public sealed class EComChargeGateway(
    HttpClient http,
    GatewayBaseAddresses addresses,
    IOptionsMonitor<EComChargeOptions> options,
    IOptions<SandboxOptions> sandbox,
    ILogger<EComChargeGateway> logger) : IPaymentGateway
{
    public const string GatewayName = "ecomcharge";

    public string Name => GatewayName;

    public async Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.AmountMinor);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CardToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Description);
        var currency = NormaliseCurrency(request.Currency);

        var additional = request.Kind switch
        {
            TokenChargeKind.RecurringFirst => new EComChargeAdditionalData(["recurring"], null),
            TokenChargeKind.MerchantInitiatedCycle => new EComChargeAdditionalData(null, new EComChargeCardOnFile("merchant", "delayed_charge")),
            TokenChargeKind.MerchantInitiatedResubmission => new EComChargeAdditionalData(null, new EComChargeCardOnFile("merchant", "resubmission")),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "unknown charge kind"),
        };
        var body = new EComChargePaymentRequest(
            request.AmountMinor,
            currency,
            request.Description.Length > 255 ? request.Description[..255] : request.Description,
            NullIfEmpty(request.IdempotencyKey),
            NotificationUrl(),
            new EComChargeCardToken(request.CardToken),
            additional,
            string.IsNullOrWhiteSpace(request.CustomerEmail) ? null : new EComChargeCustomer(request.CustomerEmail));

        using var message = Post("transactions/payments", body, keyed: body.TrackingId is not null);
        var exchange = await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false);
        var result = EComChargeResultMapper.Map(exchange, EComChargeOperation.Charge);
        logger.LogInformation(
            "eComCharge charge {TrackingId} {AmountMinor} {Currency} {ChargeKind}: {Outcome} {GatewayTransactionId} {Detail}",
            body.TrackingId, request.AmountMinor, currency, request.Kind, Outcome(result), TransactionId(result), Detail(result));
        return result;
    }

    public async Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ParentTransactionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.AmountMinor);
        var currency = NormaliseCurrency(request.Currency);

        var body = new EComChargeRefundRequest(request.ParentTransactionId, request.AmountMinor, request.Reason ?? "", NullIfEmpty(request.IdempotencyKey));
        using var message = Post("transactions/refunds", body, keyed: body.TrackingId is not null);
        var exchange = await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false);
        var result = EComChargeResultMapper.Map(exchange, EComChargeOperation.Refund);
        logger.LogInformation(
            "eComCharge refund {TrackingId} of {ParentTransactionId} {AmountMinor} {Currency}: {Outcome} {GatewayTransactionId} {Detail}",
            body.TrackingId, request.ParentTransactionId, request.AmountMinor, currency, Outcome(result), TransactionId(result), Detail(result));
        return result;
    }

    public Task<GatewayResult> QueryAsync(string gatewayTransactionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayTransactionId);
        return QueryAsync("transactions/" + Uri.EscapeDataString(gatewayTransactionId), "uid", gatewayTransactionId, cancellationToken);
    }

    public Task<GatewayResult> QueryByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return QueryAsync("transactions/tracking_id/" + Uri.EscapeDataString(idempotencyKey), "tracking_id", idempotencyKey, cancellationToken);
    }

    private async Task<GatewayResult> QueryAsync(string path, string by, string value, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path)).MarkRetrySafe();
        var exchange = await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false);
        var result = EComChargeResultMapper.Map(exchange, EComChargeOperation.Query);
        logger.LogInformation(
            "eComCharge query by {QueryBy} {QueryValue}: {Outcome} {GatewayTransactionId} {Detail}",
            by, value, Outcome(result), TransactionId(result), Detail(result));
        return result;
    }

    private Uri BaseAddress => addresses.For(options.CurrentValue);

    private HttpRequestMessage Post<T>(string path, T body, bool keyed)
    {
        var json = JsonSerializer.Serialize(new EComChargeRequestEnvelope<T>(body), EComChargeJson.Options);
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, path))
        {
            // Buffered content: a retry sends the very same bytes.
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        return keyed ? message.MarkRetrySafe() : message;
    }

    private string? NotificationUrl()
    {
        var current = options.CurrentValue;
        if (!string.IsNullOrWhiteSpace(current.NotificationUrl))
            return current.NotificationUrl;
        // The sandbox plays the gateway: let it notify this portal, as a configured gateway would.
        return sandbox.Value.Enabled && string.IsNullOrWhiteSpace(current.BaseUrl)
            ? new Uri(addresses.PortalAddress(), "webhooks/ecomcharge").AbsoluteUri
            : null;
    }

    private static string NormaliseCurrency(string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var code = currency.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code.", nameof(currency));
        return code;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Outcome(GatewayResult result) => result.GetType().Name;

    private static string? TransactionId(GatewayResult result) => result switch
    {
        GatewayResult.Approved a => a.GatewayTransactionId,
        GatewayResult.Declined d => d.GatewayTransactionId,
        GatewayResult.Pending p => p.GatewayTransactionId,
        GatewayResult.RequiresAction r => r.GatewayTransactionId,
        _ => null,
    };

    private static string? Detail(GatewayResult result) => result switch
    {
        GatewayResult.Declined d => $"{d.Code} {(d.IsHardDecline ? "hard" : "soft")}: {d.Reason}",
        GatewayResult.Unknown u => u.Reason,
        GatewayResult.NotFound n => n.Message,
        _ => null,
    };
}
