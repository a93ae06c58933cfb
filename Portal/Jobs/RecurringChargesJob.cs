using Portal.Domain.Recurring;

namespace Portal.Jobs;

/// <summary>Charges due recurring cycles (and verifies lost answers) in one bounded batch; see <see cref="RecurringChargeRunner"/>.</summary>
public sealed class RecurringChargesJob(RecurringChargeRunner runner) : IPortalJob
{
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var r = await runner.RunDueAsync(null, cancellationToken);
        return new JobResult(r.Claimed,
            $"{r.Succeeded} charged, {r.RetryScheduled} to retry, {r.Failed} failed, {r.PendingVerification} pending verification, {r.Completed} completed, {r.Errors} errors");
    }
}
