namespace Portal.Sandbox;

/// <summary>Settings under <c>Sandbox</c>: the gateways played on this portal's own routes.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Map the <c>/sandbox/...</c> routes, and point gateways with an empty BaseUrl at them (true in Development).</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a <c>pending</c> sandbox eComCharge transaction stays pending before it succeeds (seconds).</summary>
    public double PendingSeconds { get; set; } = 5;

    /// <summary>Where the sandbox VCC form posts the async payment callback (empty: this portal's <c>/webhooks/vcc/payment</c>).</summary>
    public string? VccCallbackUrl { get; set; }
}
