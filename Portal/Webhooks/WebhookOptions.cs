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
}
