using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Refunds;

/// <summary>Settings under <c>Refunds</c>, validated at start-up.</summary>
public sealed class RefundOptions
{
    public const string Section = "Refunds";

    /// <summary>Refund attempts allowed per transaction, failed ones included.</summary>
    [Range(1, 1000)]
    public int MaxAttemptsPerTransaction { get; set; } = 10;

    /// <summary>
    /// A refund the gateway still has no record of after this many minutes was never received
    /// (nothing moved): the verification job fails it and frees its amount.
    /// </summary>
    [Range(1, 10080)]
    public int NotFoundGraceMinutes { get; set; } = 10;

    /// <summary>A refund still Pending after this many seconds lost its process mid-call: the job verifies it like a lost answer.</summary>
    [Range(5, 86400)]
    public int StalePendingSeconds { get; set; } = 120;

    /// <summary>Refused refund attempts written to the audit log per person per window; more are only logged.</summary>
    [Range(1, 10000)]
    public int MaxAuditedRefusalsPerUser { get; set; } = 20;

    /// <summary>The window of <see cref="MaxAuditedRefusalsPerUser"/>, in minutes.</summary>
    [Range(1, 10080)]
    public int RefusalAuditWindowMinutes { get; set; } = 60;

    /// <summary>
    /// Open refunds (pending verification) claimed per verification round, oldest first; each
    /// claimed refund's next check moves forward by the poller's backoff (1 min, 5, 15, then hourly).
    /// </summary>
    [Range(1, 1000)]
    public int VerificationBatchSize { get; set; } = 100;

    /// <summary>
    /// A refund whose outcome the gateway still has not given this many hours after it was asked
    /// for is flagged for a person and no longer asked about by the job. It is never failed
    /// automatically: its amount stays reserved until the gateway answers.
    /// </summary>
    [Range(1, 8760)]
    public int FlagAfterHours { get; set; } = 72;
}
