namespace Portal.Domain.Webhooks;

/// <summary>
/// The limits the payment model puts on what a webhook may carry into it (PaymentCustomer,
/// Payment, PaymentTransaction), checked by the parsers so that a value over them is a 422
/// naming the field, not a 200 with a delivery stored as Failed. A test keeps them equal to the
/// model's.
/// </summary>
internal static class InboundLimits
{
    /// <summary>Customer id (PaymentCustomer.Id).</summary>
    public const int CustomerIdMaxLength = 100;
    /// <summary>Customer and holder email.</summary>
    public const int EmailMaxLength = 256;
    /// <summary>Customer first name and last name, each.</summary>
    public const int NameMaxLength = 100;
    /// <summary>Holder name on the transaction ("First Last").</summary>
    public const int HolderNameMaxLength = 200;
    /// <summary>Customer phone number.</summary>
    public const int PhoneMaxLength = 50;
    /// <summary>Payment reference id (our merchant reference).</summary>
    public const int ReferenceMaxLength = 200;
    /// <summary>Agent name, call uuid.</summary>
    public const int AgentNameMaxLength = 200;
    public const int CallUuidMaxLength = 100;
    /// <summary>Gateway name of a transaction; a VCC payment's is "VCC (payment_gw)".</summary>
    public const int GatewayNameMaxLength = 200;
    /// <summary>Subscription id, kept in the payment's metadata (values ≤ 400) and history.</summary>
    public const int SubscriptionIdMaxLength = 100;
}
