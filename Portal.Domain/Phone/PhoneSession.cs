namespace Portal.Domain.Phone;

/// <summary>
/// An agent-assisted payment session a staff member started for a caller. The payment it
/// waits for is created with it (status Requested, reference = <see cref="MerchantReference"/>)
/// and completed by the contact centre's callback.
/// </summary>
public sealed class PhoneSession
{
    private PhoneSession() { }

    internal PhoneSession(string paymentId, string merchantReference, string sessionGuid, string? providerSessionGuid, string iframeUrl,
        string agentId, long amountMinor, string currency, string? callerName, string? callerEmail, string createdById, string createdByName,
        DateTime createdAtUtc)
    {
        Id = Payments.Ids.New("phs");
        PaymentId = paymentId;
        MerchantReference = merchantReference;
        SessionGuid = sessionGuid;
        ProviderSessionGuid = providerSessionGuid;
        IframeUrl = iframeUrl;
        AgentId = agentId;
        AmountMinor = amountMinor;
        Currency = currency;
        CallerName = callerName;
        CallerEmail = callerEmail;
        CreatedById = createdById;
        CreatedByName = createdByName;
        CreatedAtUtc = createdAtUtc;
    }

    public string Id { get; private set; } = "";
    public string PaymentId { get; private set; } = "";
    public string MerchantReference { get; private set; } = "";
    public string SessionGuid { get; private set; } = "";
    public string? ProviderSessionGuid { get; private set; }
    public string IframeUrl { get; private set; } = "";
    public string AgentId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public string? CallerName { get; private set; }
    public string? CallerEmail { get; private set; }
    public string CreatedById { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTime CreatedAtUtc { get; private set; }
}
