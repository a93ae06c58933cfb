using Portal.Domain.Webhooks;

namespace Portal.Jobs;

/// <summary>Applies again the webhook deliveries that failed for a transient reason, each after its backoff, a bounded number of times.</summary>
public sealed class WebhookRetryJob(WebhookRetry retry) : IPortalJob
{
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var r = await retry.RetryDueAsync(cancellationToken);
        return new JobResult(r.Claimed, r.Claimed == 0
            ? "Nothing due: no delivery failed for a transient reason and is waiting for its next try."
            : $"{r.Applied} applied, {r.StillTransient} will be tried again, {r.Permanent} failed for good, {r.GaveUp} given up after the last try");
    }
}
