using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.EComCharge;

/// <summary>One transaction the eComCharge sandbox holds. Mutated only under the store's lock.</summary>
internal sealed class SandboxTransaction
{
    public required string Uid { get; init; }
    public required string Type { get; init; }
    public string? TrackingId { get; init; }
    public string? ParentUid { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Description { get; init; }
    public string? Token { get; init; }
    public string? CustomerEmail { get; init; }
    public string? NotificationUrl { get; init; }
    public string? Reason { get; init; }
    public required SandboxCardBehaviour Behaviour { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public required string Status { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? BankCode { get; set; }
    public string? AuthCode { get; set; }
    public string? Rrn { get; set; }
    public string? RedirectUrl { get; set; }
    public bool RiskCheckFailed { get; set; }

    /// <summary>Pending: when it succeeds. Incomplete: the status it ends in.</summary>
    public DateTimeOffset? ResolveAt { get; set; }
    public string? FinalStatus { get; set; }

    /// <summary>Payments: the sum of successful refunds so far.</summary>
    public long RefundedAmount { get; set; }

    public bool IsFinal => Status is "successful" or "failed";

    public void Succeed(string message, DateTimeOffset now)
    {
        Status = "successful";
        Message = message;
        BankCode = "00";
        var hash = (uint)Uid.GetHashCode(StringComparison.Ordinal);
        AuthCode = (hash % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        Rrn = (hash % 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
        RedirectUrl = null;
        UpdatedAt = now;
    }

    public void Fail(string message, string? bankCode, DateTimeOffset now)
    {
        Status = "failed";
        Message = message;
        BankCode = bankCode;
        RedirectUrl = null;
        UpdatedAt = now;
    }

    /// <summary>The eComCharge transaction response object (card data masked; the token echoed as a gateway does).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["uid"] = Uid,
            ["id"] = Uid,
            ["type"] = Type,
            ["status"] = Status,
            ["message"] = Message,
            ["amount"] = Amount,
            ["currency"] = Currency,
            ["description"] = Description,
            ["tracking_id"] = TrackingId,
            ["language"] = "en",
            ["test"] = true,
            ["created_at"] = CreatedAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["updated_at"] = UpdatedAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        };
        if (ParentUid is not null)
        {
            json["parent_uid"] = ParentUid;
            json["reason"] = Reason;
        }
        if (Type == "payment")
        {
            json["payment_method_type"] = "credit_card";
            json["credit_card"] = new JsonObject
            {
                ["holder"] = "SANDBOX CARDHOLDER",
                ["brand"] = "visa",
                ["product"] = "Classic",
                ["last_4"] = "1111",
                ["first_1"] = "4",
                ["exp_month"] = 12,
                ["exp_year"] = 2030,
                ["stamp"] = "sandbox-" + Token?.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture),
                ["token"] = Token,
                ["token_provider"] = null,
            };
            if (CustomerEmail is not null)
                json["customer"] = new JsonObject { ["email"] = CustomerEmail, ["ip"] = "127.0.0.1" };
        }
        if (RedirectUrl is not null)
            json["redirect_url"] = RedirectUrl;
        if (IsFinal)
        {
            json["payment"] = new JsonObject
            {
                ["auth_code"] = AuthCode,
                ["bank_code"] = BankCode,
                ["rrn"] = Rrn,
                ["ref_id"] = Uid,
                ["message"] = Message,
                ["gateway_id"] = 1,
                ["billing_descriptor"] = "PORTAL SANDBOX",
                ["status"] = Status,
            };
        }
        if (RiskCheckFailed)
        {
            json["be_protected_verification"] = new JsonObject
            {
                ["status"] = "failed",
                ["message"] = "Transaction didn't pass risk management system.",
                ["white_black_list"] = new JsonObject { ["card_number"] = "black", ["ip"] = "absent", ["email"] = "absent" },
            };
        }
        else if (Type == "payment" && IsFinal)
        {
            json["be_protected_verification"] = new JsonObject { ["status"] = "successful" };
            json["avs_cvc_verification"] = new JsonObject
            {
                ["cvc_verification"] = new JsonObject { ["result_code"] = "M" },
                ["avs_verification"] = new JsonObject { ["result_code"] = "M" },
            };
        }
        return json;
    }
}
