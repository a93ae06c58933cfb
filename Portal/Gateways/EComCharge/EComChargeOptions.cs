namespace Portal.Gateways.EComCharge;

/// <summary>Settings under <c>Gateways:EComCharge</c>.</summary>
public sealed class EComChargeOptions : GatewayHttpOptions
{
    public const string Section = "Gateways:EComCharge";

    /// <summary>Shop id: the HTTP Basic user name (also what the gateway's notifications authenticate with).</summary>
    public string ShopId { get; set; } = "";

    /// <summary>Shop secret key: the HTTP Basic password.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>
    /// Where the gateway posts transaction notifications (<c>notification_url</c>). Empty: none is
    /// sent, except while the sandbox stands in for the gateway, where it is this portal's own
    /// <c>/webhooks/ecomcharge</c>.
    /// </summary>
    public string? NotificationUrl { get; set; }

    internal override string SectionPath => Section;

    internal override string SandboxPath => "sandbox/ecomcharge/";

    internal override IEnumerable<string> ValidateCredentials()
    {
        if (string.IsNullOrWhiteSpace(ShopId))
            yield return $"{Section}:ShopId is required (the shop id given by eComCharge; the HTTP Basic user name).";
        if (string.IsNullOrWhiteSpace(SecretKey))
            yield return $"{Section}:SecretKey is required (the shop's secret key; the HTTP Basic password).";
        if (!string.IsNullOrWhiteSpace(NotificationUrl) && !Uri.TryCreate(NotificationUrl, UriKind.Absolute, out _))
            yield return $"{Section}:NotificationUrl must be an absolute URL.";
    }
}
