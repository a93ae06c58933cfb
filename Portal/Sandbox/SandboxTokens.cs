namespace Portal.Sandbox;

/// <summary>What the eComCharge sandbox does with a charge, chosen by the card token (see docs/sandbox.md).</summary>
public enum SandboxCardBehaviour
{
    Approve,
    DeclineInsufficientFunds,
    DeclineStolenCard,
    DeclineDoNotHonor,
    DeclineRiskCheck,
    ThreeDSecureThenApprove,
    ThreeDSecureThenDecline,
    PendingThenApprove,
    Timeout,
    ServerError,
    ServerErrorOnce,
    MalformedJson,
    RefundTimesOut,
    RefundFails,
}

/// <summary>The documented test card tokens of the eComCharge sandbox. Any other token is approved.</summary>
public static class SandboxTokens
{
    public const string Approve = "tok_sandbox_approve";
    public const string InsufficientFunds = "tok_sandbox_insufficient_funds";
    public const string StolenCard = "tok_sandbox_stolen_card";
    public const string DoNotHonor = "tok_sandbox_do_not_honor";
    public const string RiskBlocked = "tok_sandbox_risk_blocked";
    public const string ThreeDSecureApprove = "tok_sandbox_3ds_approve";
    public const string ThreeDSecureDecline = "tok_sandbox_3ds_decline";
    public const string Pending = "tok_sandbox_pending";
    public const string Timeout = "tok_sandbox_timeout";
    public const string ServerError = "tok_sandbox_http_500";
    public const string ServerErrorOnce = "tok_sandbox_http_500_once";
    public const string MalformedJson = "tok_sandbox_malformed_json";
    public const string RefundTimesOut = "tok_sandbox_refund_timeout";
    public const string RefundFails = "tok_sandbox_refund_fails";

    private static readonly Dictionary<string, SandboxCardBehaviour> Behaviours = new(StringComparer.Ordinal)
    {
        [Approve] = SandboxCardBehaviour.Approve,
        [InsufficientFunds] = SandboxCardBehaviour.DeclineInsufficientFunds,
        [StolenCard] = SandboxCardBehaviour.DeclineStolenCard,
        [DoNotHonor] = SandboxCardBehaviour.DeclineDoNotHonor,
        [RiskBlocked] = SandboxCardBehaviour.DeclineRiskCheck,
        [ThreeDSecureApprove] = SandboxCardBehaviour.ThreeDSecureThenApprove,
        [ThreeDSecureDecline] = SandboxCardBehaviour.ThreeDSecureThenDecline,
        [Pending] = SandboxCardBehaviour.PendingThenApprove,
        [Timeout] = SandboxCardBehaviour.Timeout,
        [ServerError] = SandboxCardBehaviour.ServerError,
        [ServerErrorOnce] = SandboxCardBehaviour.ServerErrorOnce,
        [MalformedJson] = SandboxCardBehaviour.MalformedJson,
        [RefundTimesOut] = SandboxCardBehaviour.RefundTimesOut,
        [RefundFails] = SandboxCardBehaviour.RefundFails,
    };

    public static IReadOnlyDictionary<string, SandboxCardBehaviour> All => Behaviours;

    public static SandboxCardBehaviour For(string? token) =>
        token is not null && Behaviours.TryGetValue(token, out var behaviour) ? behaviour : SandboxCardBehaviour.Approve;
}
