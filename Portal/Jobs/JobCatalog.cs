using Portal.Domain.Refunds;
using Portal.Domain.Webhooks;

namespace Portal.Jobs;

/// <summary>
/// Every job the portal runs, in one place: name (used in settings, leases, pauses and history),
/// title, description and default schedule. A new job is one line here plus its class.
/// </summary>
public static class JobCatalog
{
    public static IReadOnlyList<JobDefinition> All { get; } =
    [
        new(StatusPollerJob.Name, "Status poller",
            "Asks the card gateway about every attempt that is not final yet and applies what changed.",
            typeof(StatusPollerJob), "*/30 * * * * *"),
        new(VoucherlySyncJob.Name, "Voucherly sync",
            "Reads every open Voucherly payment (Requested, Paid), and settled ones (Confirmed) again every few hours, from Voucherly and applies what changed.",
            typeof(VoucherlySyncJob), "0 * * * * *"),
        new(RefundService.VerificationJobName, "Refund verification",
            "Asks the gateway, by each refund's own key, about refunds whose answer was lost, and settles them; never sends a refund again.",
            typeof(RefundVerificationJob), "30 * * * * *"),
        new(Portal.Domain.Recurring.RecurringChargeRunner.JobName, "Recurring charges",
            "Charges each due recurring cycle once (claimed in the database), retries soft declines on the dunning schedule, and resolves lost answers by asking the gateway with the same key.",
            typeof(RecurringChargesJob), "15 * * * * *"),
        new(WebhookRetry.JobName, "Webhook retry", "Applies again the webhook deliveries that failed for a transient reason (payment not imported yet, database busy), with backoff and a bounded number of tries.", typeof(WebhookRetryJob), "45 * * * * *"),
    ];
}
