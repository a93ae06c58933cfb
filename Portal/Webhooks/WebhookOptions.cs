namespace Portal.Webhooks;

/// <summary>HTTP Basic credentials one webhook source must present (settings <c>Webhooks:&lt;Source&gt;</c>).</summary>
public sealed class WebhookCredentials
{
    public string? Username { get; set; }
    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}

/// <summary>Settings under <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public WebhookCredentials Vcc { get; set; } = new();
    public WebhookCredentials EComCharge { get; set; } = new();
    public WebhookCredentials CardGateway { get; set; } = new();

    /// <summary>Largest body accepted, in bytes (larger → 413).</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Largest masked payload kept on a delivery, in bytes. A larger one is stored as a short
    /// JSON note with its first bytes (still masked); the event itself is applied as usual.
    /// </summary>
    public int MaxStoredPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Keys removed from every inbound payload before it is read or stored (CVV, PIN, track data).</summary>
    public SensitiveKeyOptions SensitiveKeys { get; set; } = new();
}

/// <summary>Settings under <c>Webhooks:SensitiveKeys</c>; an unset list means the built-in one (see <see cref="Portal.Domain.Webhooks.SensitiveKeys"/>).</summary>
public sealed class SensitiveKeyOptions
{
    /// <summary>Matched anywhere in a key (lower-cased, without <c>_ - .</c>).</summary>
    public string[]? Fragments { get; set; }

    /// <summary>Matched as one whole word of a key.</summary>
    public string[]? Words { get; set; }

    public Portal.Domain.Webhooks.SensitiveKeys ToSensitiveKeys() => new(
        Fragments ?? Portal.Domain.Webhooks.SensitiveKeys.DefaultFragments,
        Words ?? Portal.Domain.Webhooks.SensitiveKeys.DefaultWords);
}
