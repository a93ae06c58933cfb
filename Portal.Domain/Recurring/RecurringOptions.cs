using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Recurring;

/// <summary>Settings under <c>Recurring</c>, validated at start-up (<see cref="Validate"/>).</summary>
public sealed class RecurringOptions
{
    public const string Section = "Recurring";

    /// <summary>Schedules one runner claims per round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Charges one runner sends at the same time within its batch.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// Dunning: after a soft decline, retry the cycle this many days after its due date, one
    /// entry per retry (default 3, 5, 7: retries on day 3, 5 and 7 after the cycle fell due).
    /// Empty = no retries.
    /// </summary>
    public int[] RetryDays { get; set; } = [3, 5, 7];

    /// <summary>What a schedule becomes when its cycle is still soft-declined after the last retry.</summary>
    public RecurringAfterLastRetry AfterLastRetry { get; set; } = RecurringAfterLastRetry.PastDue;

    /// <summary>How long a runner's claim on a schedule lasts; a claim older than this (a crashed runner) is taken over.</summary>
    [Range(30, 86_400)]
    public int ClaimLeaseSeconds { get; set; } = 300;

    /// <summary>How long after a lost or undecided answer the runner asks the gateway again (by the same key).</summary>
    [Range(1, 86_400)]
    public int VerifyAfterSeconds { get; set; } = 60;

    /// <summary>Problems with the values, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BatchSize is < 1 or > 10_000) errors.Add("Recurring:BatchSize must be between 1 and 10000.");
        if (Parallelism is < 1 or > 64) errors.Add("Recurring:Parallelism must be between 1 and 64.");
        if (RetryDays.Length > 10) errors.Add("Recurring:RetryDays allows at most 10 retries.");
        if (RetryDays.Any(d => d is < 1 or > 365)) errors.Add("Recurring:RetryDays entries must be between 1 and 365 days.");
        for (var i = 1; i < RetryDays.Length; i++)
            if (RetryDays[i] <= RetryDays[i - 1]) { errors.Add("Recurring:RetryDays must be increasing (days after the cycle fell due, e.g. 3, 5, 7)."); break; }
        if (!Enum.IsDefined(AfterLastRetry)) errors.Add("Recurring:AfterLastRetry must be PastDue or Cancel.");
        if (ClaimLeaseSeconds is < 30 or > 86_400) errors.Add("Recurring:ClaimLeaseSeconds must be between 30 and 86400.");
        if (VerifyAfterSeconds is < 1 or > 86_400) errors.Add("Recurring:VerifyAfterSeconds must be between 1 and 86400.");
        return errors;
    }
}
