using Portal.Domain.Refunds;

namespace Portal.Jobs;

/// <summary>Resolves refunds whose gateway answer was lost by asking the gateway about their key, 100 at a time.</summary>
public sealed class RefundVerificationJob(RefundService refunds) : IPortalJob
{
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await refunds.VerifyOpenRefundsAsync(100, cancellationToken);
        return new JobResult(result.Checked,
            $"{result.Succeeded} succeeded, {result.Failed} failed, {result.StillPending} still pending verification");
    }
}
