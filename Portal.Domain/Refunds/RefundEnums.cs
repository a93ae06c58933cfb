namespace Portal.Domain.Refunds;

/// <summary>
/// Where a refund is in its life. Pending is committed BEFORE the gateway is called; the
/// gateway's answer makes it Succeeded or Failed; a lost answer makes it PendingVerification,
/// which only a query by the same idempotency key resolves (never a second refund request).
/// </summary>
public enum RefundStatus
{
    Pending,
    PendingVerification,
    Succeeded,
    Failed,
}

/// <summary>Why an admin gives the money back (Other needs a note).</summary>
public enum RefundReason
{
    Duplicate,
    Fraudulent,
    RequestedByCustomer,
    Other,
}

public static class RefundReasons
{
    /// <summary>Wording for people (dialog, list, audit).</summary>
    public static string Describe(RefundReason reason) => reason switch
    {
        RefundReason.Duplicate => "Duplicate",
        RefundReason.Fraudulent => "Fraudulent",
        RefundReason.RequestedByCustomer => "Requested by customer",
        _ => "Other",
    };

    /// <summary>The reason as sent to the gateway (machine words plus the note).</summary>
    public static string ForGateway(RefundReason reason, string? note) => reason switch
    {
        RefundReason.Duplicate => "duplicate",
        RefundReason.Fraudulent => "fraudulent",
        RefundReason.RequestedByCustomer => "requested_by_customer",
        _ => string.IsNullOrWhiteSpace(note) ? "other" : Truncate("other: " + note.Trim(), 255),
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
