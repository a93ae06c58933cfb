namespace Portal.Domain.Refunds;

/// <summary>Why a refund request was refused; the API maps it to a status code.</summary>
public enum RefundRefusal
{
    /// <summary>The request itself is wrong (amount, currency, reason, key format): 422.</summary>
    Invalid,
    /// <summary>No such payment or transaction: 404.</summary>
    NotFound,
    /// <summary>The state of the transaction does not allow it (too much, limit reached, key reused, not captured): 409.</summary>
    Conflict,
    /// <summary>The transaction's gateway has no refund API the portal can call: 422.</summary>
    NotSupported,
    /// <summary>The caller may not refund (not an admin): 403.</summary>
    Forbidden,
    /// <summary>The caller may refund but has no second factor (authenticator app) set up yet: 403.</summary>
    SecondFactorRequired,
}

/// <summary>A refund the rules refuse, with a message written for the admin.</summary>
public sealed class RefundRefusedException(RefundRefusal refusal, string message) : DomainException(message)
{
    public RefundRefusal Refusal { get; } = refusal;

    /// <summary>Already written to the audit log (every refused attempt is, once).</summary>
    internal bool Audited { get; init; }

    /// <summary>For <see cref="RefundRefusal.SecondFactorRequired"/>: the page where the caller sets up the second factor.</summary>
    public string? SetupPath { get; init; }
}
