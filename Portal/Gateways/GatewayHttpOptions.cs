namespace Portal.Gateways;

/// <summary>Settings every outbound gateway client shares (address, timeout, retries).</summary>
public abstract class GatewayHttpOptions
{
    /// <summary>
    /// The gateway's API address. Empty while the sandbox is on means "this portal's own sandbox
    /// routes"; empty with the sandbox off stops start-up.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long one attempt may take before its answer counts as lost (seconds).</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Extra attempts after a 5xx or a connection failure, for requests that are safe to repeat (keyed or read-only).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Delay before the first retry; doubles on each further retry (milliseconds).</summary>
    public int RetryDelayMilliseconds { get; set; } = 200;

    /// <summary>The configuration section (e.g. <c>Gateways:EComCharge</c>), used in validation messages.</summary>
    internal abstract string SectionPath { get; }

    /// <summary>Path of this gateway's sandbox routes under the portal (e.g. <c>sandbox/ecomcharge/</c>).</summary>
    internal abstract string SandboxPath { get; }

    internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Gateway-specific checks; each message names its setting.</summary>
    internal abstract IEnumerable<string> ValidateCredentials();
}
