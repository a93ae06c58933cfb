namespace Portal.Domain.Gateways;

/// <summary>
/// What a gateway said about one operation. Exactly one of the nested kinds. A lost answer
/// (timeout, 5xx, unreadable body) is <see cref="Unknown"/>, never <see cref="Declined"/>: the money
/// may have moved, and the poller must ask the gateway before anything else happens.
/// </summary>
public abstract record GatewayResult
{
    private GatewayResult()
    {
    }

    /// <summary>The tracking id the gateway echoed back, when it did.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>For a refund: the gateway id of the refunded transaction.</summary>
    public string? ParentTransactionId { get; init; }

    /// <summary>The gateway's own transaction type (<c>payment</c>, <c>refund</c>, ...), when it said.</summary>
    public string? TransactionType { get; init; }

    /// <summary>The gateway accepted the operation and moved the money.</summary>
    public sealed record Approved(string GatewayTransactionId, long AmountMinor, string Currency) : GatewayResult
    {
        public CardDetails? Card { get; init; }
        public string? AuthCode { get; init; }
        public string? Rrn { get; init; }
        public string? Message { get; init; }
        public GatewayChecks? Checks { get; init; }
    }

    /// <summary>The gateway refused. <see cref="IsHardDecline"/> means retrying the same card will not help.</summary>
    public sealed record Declined(string? GatewayTransactionId, string Reason, string? Code, bool IsHardDecline) : GatewayResult
    {
        public CardDetails? Card { get; init; }
        public GatewayChecks? Checks { get; init; }
    }

    /// <summary>The gateway has not decided yet; ask again later (or wait for its notification).</summary>
    public sealed record Pending(string GatewayTransactionId, string? Message) : GatewayResult;

    /// <summary>The customer must complete a step (3-D Secure) at <see cref="RedirectUrl"/> before the gateway decides.</summary>
    public sealed record RequiresAction(string GatewayTransactionId, string RedirectUrl) : GatewayResult;

    /// <summary>The answer was lost (timeout, 5xx, malformed body): the outcome must be found by querying.</summary>
    public sealed record Unknown(string Reason) : GatewayResult;

    /// <summary>Query only: the gateway has no such transaction.</summary>
    public sealed record NotFound(string? Message) : GatewayResult;
}

/// <summary>Card data a gateway returned: masked only. The token is a secret and is never printed.</summary>
public sealed record CardDetails(string? Brand, string? Last4, int? ExpiryMonth, int? ExpiryYear, string? Token)
{
    public override string ToString() =>
        $"CardDetails {{ Brand = {Brand}, Last4 = {Last4}, Expiry = {ExpiryMonth:00}/{ExpiryYear}, Token = {(Token is null ? "none" : "***")} }}";
}

/// <summary>Results of the gateway's risk and verification checks, when it reported them.</summary>
/// <param name="RiskStatus">Risk-management verdict (eComCharge <c>be_protected_verification.status</c>: <c>successful</c> / <c>failed</c>).</param>
/// <param name="RiskMessage">Why the risk check failed.</param>
/// <param name="AvsResultCode">Address verification result code (e.g. <c>M</c> match, <c>N</c> no match).</param>
/// <param name="CvcResultCode">Card security code verification result code.</param>
public sealed record GatewayChecks(string? RiskStatus, string? RiskMessage, string? AvsResultCode, string? CvcResultCode)
{
    public bool RiskCheckFailed => string.Equals(RiskStatus, "failed", StringComparison.OrdinalIgnoreCase);
}
