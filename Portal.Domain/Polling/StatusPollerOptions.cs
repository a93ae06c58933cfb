using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Polling;

/// <summary>Settings under <c>StatusPoller</c>, validated at start-up.</summary>
public sealed class StatusPollerOptions
{
    public const string Section = "StatusPoller";

    /// <summary>Attempts claimed per batch (one claim = one conditional update in the database).</summary>
    [Range(1, TransactionStatusPoller.MaxBatchSize)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Gateway queries in flight at once within a batch.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// An attempt still open this many hours after it was created is closed: Expired when the
    /// gateway says it is still waiting (the customer never finished), flagged for a person when
    /// the gateway gives no answer or does not know it (money may have moved).
    /// </summary>
    [Range(1, 8_760)]
    public int ExpireAfterHours { get; set; } = 72;

    /// <summary>A job run keeps claiming batches while attempts are due, for at most this many seconds.</summary>
    [Range(1, 3_600)]
    public int MaxRunSeconds { get; set; } = 25;

    public TimeSpan ExpireAfter => TimeSpan.FromHours(ExpireAfterHours);
}
