using Portal.Domain.Refunds;

namespace Portal.Jobs;

/// <summary>Resolves refunds whose gateway answer was lost by asking the gateway about their key, a claimed batch per run.</summary>
public sealed class RefundVerificationJob(RefundService refunds) : IPortalJob
{
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await refunds.VerifyOpenRefundsAsync(cancellationToken);
        return new JobResult(result.Checked,
            $"{result.Succeeded} succeeded, {result.Failed} failed, {result.StillPending} still pending verification, {result.Flagged} flagged for a person");
    }
}
