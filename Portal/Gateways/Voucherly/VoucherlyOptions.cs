namespace Portal.Gateways.Voucherly;

/// <summary>Settings under <c>Gateways:Voucherly</c>.</summary>
public sealed class VoucherlyOptions : GatewayHttpOptions
{
    public const string Section = "Gateways:Voucherly";

    /// <summary>API key, sent as <c>Authorization: Bearer &lt;ApiKey&gt;</c>.</summary>
    public string ApiKey { get; set; } = "";

    internal override string SectionPath => Section;

    internal override string SandboxPath => "sandbox/voucherly/";

    internal override IEnumerable<string> ValidateCredentials()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
            yield return $"{Section}:ApiKey is required (the Voucherly API key, sent as a bearer token).";
    }
}
