namespace Portal.Domain.Payments;

/// <summary>What the customer must do at the gateway to finish an attempt (3-D Secure redirect, OTP, drop-in).</summary>
public sealed class NextActionRequest
{
    private NextActionRequest() { }

    public static NextActionRequest Create(CheckoutAction action, string? externalTransactionId = null, string? url = null) => new()
    {
        Action = action,
        ExternalTransactionId = Text.Optional(externalTransactionId, 200, "next action transaction id"),
        Url = Text.Optional(url, 2000, "next action url"),
    };

    public CheckoutAction Action { get; private set; }

    public string? ExternalTransactionId { get; private set; }

    public string? Url { get; private set; }

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal NextActionRequest Copy() => (NextActionRequest)MemberwiseClone();
}
