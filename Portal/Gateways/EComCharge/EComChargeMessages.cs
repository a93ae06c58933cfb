using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Gateways.EComCharge;

// Wire format of the eComCharge API (001_33a299db6d31757f.txt): requests wrapped in
// {"request": {...}}, answers in {"transaction": {...}} (or {"transactions": [...]} for a
// tracking-id query). Only the fields the portal sends or reads are modelled.

internal static class EComChargeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

internal sealed record EComChargeRequestEnvelope<T>(T Request);

internal sealed record EComChargePaymentRequest(
    long Amount,
    string Currency,
    string Description,
    string? TrackingId,
    string? NotificationUrl,
    EComChargeCardToken CreditCard,
    EComChargeAdditionalData AdditionalData,
    EComChargeCustomer? Customer);

internal sealed record EComChargeCardToken(string Token);

internal sealed record EComChargeAdditionalData(string[]? Contract, EComChargeCardOnFile? CardOnFile);

internal sealed record EComChargeCardOnFile(string Initiator, string Type);

internal sealed record EComChargeCustomer(string Email);

internal sealed record EComChargeRefundRequest(string ParentUid, long Amount, string Reason, string? TrackingId);

internal sealed class EComChargeResponseEnvelope
{
    public EComChargeTransaction? Transaction { get; set; }
    public List<EComChargeTransaction>? Transactions { get; set; }
    public string? Message { get; set; }
    public EComChargeErrorBody? Response { get; set; }
}

internal sealed class EComChargeErrorBody
{
    public string? Message { get; set; }
}

internal sealed class EComChargeTransaction
{
    public string? Uid { get; set; }
    public string? Status { get; set; }
    public string? Message { get; set; }
    public string? Type { get; set; }
    public string? TrackingId { get; set; }
    public string? ParentUid { get; set; }
    public long? Amount { get; set; }
    public string? Currency { get; set; }
    public string? RedirectUrl { get; set; }
    public EComChargeCard? CreditCard { get; set; }
    public EComChargePayment? Payment { get; set; }
    public EComChargeBeProtected? BeProtectedVerification { get; set; }
    public EComChargeAvsCvc? AvsCvcVerification { get; set; }
}

internal sealed class EComChargeCard
{
    public string? Brand { get; set; }
    [JsonPropertyName("last_4")]
    public string? Last4 { get; set; }
    public int? ExpMonth { get; set; }
    public int? ExpYear { get; set; }
    public string? Token { get; set; }
}

internal sealed class EComChargePayment
{
    public string? AuthCode { get; set; }
    public string? BankCode { get; set; }
    public string? Rrn { get; set; }
    public string? RefId { get; set; }
    public string? Message { get; set; }
    public string? Status { get; set; }
}

internal sealed class EComChargeBeProtected
{
    public string? Status { get; set; }
    public string? Message { get; set; }
}

internal sealed class EComChargeAvsCvc
{
    public EComChargeResultCode? AvsVerification { get; set; }
    public EComChargeResultCode? CvcVerification { get; set; }
}

internal sealed class EComChargeResultCode
{
    public string? ResultCode { get; set; }
}
