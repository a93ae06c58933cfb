namespace Portal.Domain.Payments;

/// <summary>
/// A dated yes/no event reported by Voucherly: the spec's <c>closeCheckout</c> (closed
/// successfully or cancelled) and <c>callback</c> (last callback delivered or failed).
/// </summary>
public sealed class CheckoutOutcome
{
    private CheckoutOutcome() { }

    public static CheckoutOutcome Create(bool success, DateTime atUtc) => new()
    {
        Success = success,
        AtUtc = Text.Utc(atUtc, "event time"),
    };

    public bool Success { get; private set; }

    public DateTime AtUtc { get; private set; }

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal CheckoutOutcome Copy() => (CheckoutOutcome)MemberwiseClone();
}
