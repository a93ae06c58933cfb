namespace Portal.Gateways.Vcc;

/// <summary>Settings under <c>Gateways:Vcc</c> (the contact centre's payment session API).</summary>
public sealed class VccOptions : GatewayHttpOptions
{
    public const string Section = "Gateways:Vcc";

    /// <summary>API key, sent as <c>Authorization: Bearer &lt;ApiKey&gt;</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Default <c>accountConfigurationId</c> when the caller does not choose one (empty: not sent).</summary>
    public int? AccountConfigurationId { get; set; }

    internal override string SectionPath => Section;

    internal override string SandboxPath => "sandbox/vcc/";

    internal override IEnumerable<string> ValidateCredentials()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
            yield return $"{Section}:ApiKey is required (the contact centre's API key, sent as a bearer token).";
        if (AccountConfigurationId is <= 0)
            yield return $"{Section}:AccountConfigurationId must be a positive number when set.";
    }
}
