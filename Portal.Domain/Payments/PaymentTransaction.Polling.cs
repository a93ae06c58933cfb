namespace Portal.Domain.Payments;

/// <summary>
/// The status poller's bookkeeping on an attempt. Written only by the poller's conditional
/// updates (claims), never through the aggregate, so a poll never bumps <see cref="Version"/>
/// and never conflicts with a webhook or a refund changing the payment.
/// </summary>
public sealed partial class PaymentTransaction
{
    /// <summary>When the poller may ask about this attempt again (null: at once). Moved forward by each claim, per the backoff schedule.</summary>
    public DateTime? NextPollAtUtc { get; private set; }

    /// <summary>How many times the poller has claimed this attempt (drives the backoff).</summary>
    public int PollAttempts { get; private set; }

    /// <summary>The claim token of the poller round that holds this attempt (two instances never poll it twice in a round).</summary>
    public string? PollClaim { get; private set; }

    /// <summary>Set when the poller gave up on the attempt and a person must look at it (it is no longer polled).</summary>
    public DateTime? PollFlaggedAtUtc { get; private set; }

    /// <summary>Why the poller flagged the attempt for a person.</summary>
    public string? PollFlagReason { get; private set; }
}
