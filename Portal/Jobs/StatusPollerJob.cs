using Portal.Domain.Polling;

namespace Portal.Jobs;

/// <summary>Polls the card gateway for open attempts, 200 at a time.</summary>
public sealed class StatusPollerJob(TransactionStatusPoller poller) : IPortalJob
{
    public const string Name = "status-poller";

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await poller.PollAsync(200, cancellationToken);
        return new JobResult(result.Polled,
            $"{result.Changed} changed, {result.StillOpen} still open, {result.Unanswered} unanswered");
    }
}
