using Microsoft.Extensions.Options;
using Portal.Domain.Polling;

namespace Portal.Jobs;

/// <summary>
/// Polls the card gateway for open attempts: claims batches of due attempts (<c>StatusPoller:BatchSize</c>)
/// until none is due or <c>StatusPoller:MaxRunSeconds</c> has passed.
/// </summary>
public sealed class StatusPollerJob(TransactionStatusPoller poller, IOptions<StatusPollerOptions> options) : IPortalJob
{
    public const string Name = "status-poller";

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await poller.PollDueAsync(TimeSpan.FromSeconds(options.Value.MaxRunSeconds), cancellationToken);
        return new JobResult(result.Polled, Describe(result));
    }

    /// <summary>"12 polled: 2 changed, 10 still open", naming only the outcomes that happened.</summary>
    internal static string Describe(PollResult r)
    {
        if (r.Polled == 0) return "Nothing due: no open attempt is waiting for its next check.";
        var outcomes = new (int Count, string Label)[]
            {
                (r.Changed, "changed"), (r.StillOpen, "still open"), (r.Unanswered, "unanswered"), (r.Expired, "expired"),
                (r.Flagged, "flagged for a person"),
            }
            .Where(o => o.Count > 0)
            .Select(o => $"{o.Count} {o.Label}");
        return $"{r.Polled} polled: {string.Join(", ", outcomes)}";
    }
}
