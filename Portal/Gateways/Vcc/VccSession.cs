namespace Portal.Gateways.Vcc;

/// <summary>
/// An agent-assisted payment session (004_b9b4f98a582258ff.txt). The agent tokens authorise the
/// secure form: they are secrets, never logged or printed.
/// </summary>
public sealed record VccSession(
    string SessionGuid,
    string IframeUrl,
    string? ProviderSessionGuid,
    string? AgentAccessToken,
    string? AgentRefreshToken)
{
    public override string ToString() =>
        $"VccSession {{ SessionGuid = {SessionGuid}, IframeUrl = {IframeUrl}, ProviderSessionGuid = {ProviderSessionGuid}, AgentTokens = *** }}";
}

/// <summary>The session was created, refused (4xx), or the answer was lost.</summary>
public abstract record VccSessionResult
{
    private VccSessionResult()
    {
    }

    public sealed record Created(VccSession Session) : VccSessionResult;

    public sealed record Rejected(int StatusCode, string Message) : VccSessionResult;

    public sealed record Unknown(string Reason) : VccSessionResult;
}

/// <summary>Builds the <c>paymentData</c> dictionary with the field names of the VCC example request.</summary>
public static class VccPaymentData
{
    /// <summary>
    /// FirstName, Surname, Email, Amount (a decimal string in the currency's exponent: 1240 GBP →
    /// "12.40"), Currency (upper case) and MerchantReferenceCode, plus any extra fields
    /// (Street1, City, Postcode, Country...).
    /// </summary>
    public static Dictionary<string, string> Create(
        string? firstName,
        string? surname,
        string? email,
        long amountMinor,
        string currency,
        string merchantReferenceCode,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Amount"] = CurrencyExponents.FormatDecimal(amountMinor, currency),
            ["Currency"] = currency.ToUpperInvariant(),
            ["MerchantReferenceCode"] = merchantReferenceCode,
        };
        if (!string.IsNullOrWhiteSpace(firstName))
            data["FirstName"] = firstName;
        if (!string.IsNullOrWhiteSpace(surname))
            data["Surname"] = surname;
        if (!string.IsNullOrWhiteSpace(email))
            data["Email"] = email;
        foreach (var (key, value) in extra ?? [])
            data[key] = value;
        return data;
    }
}
