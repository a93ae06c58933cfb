using MudBlazor;
using Portal.Domain.Gateways;
using Portal.Domain.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>How the recurring pages name and colour statuses.</summary>
public static class RecurringLabels
{
    public static string Status(RecurringScheduleStatus status) => status switch
    {
        RecurringScheduleStatus.Active => "Active",
        RecurringScheduleStatus.Paused => "Paused",
        RecurringScheduleStatus.NeedsAttention => "Needs attention",
        RecurringScheduleStatus.PastDue => "Past due",
        RecurringScheduleStatus.Cancelled => "Cancelled",
        RecurringScheduleStatus.Completed => "Completed",
        _ => status.ToString(),
    };

    public static Color Tone(RecurringScheduleStatus status) => status switch
    {
        RecurringScheduleStatus.Active => Color.Success,
        RecurringScheduleStatus.Paused => Color.Warning,
        RecurringScheduleStatus.NeedsAttention or RecurringScheduleStatus.PastDue => Color.Error,
        _ => Color.Default,
    };

    public static string Icon(RecurringScheduleStatus status) => status switch
    {
        RecurringScheduleStatus.Active => Icons.Material.Filled.Autorenew,
        RecurringScheduleStatus.Paused => Icons.Material.Filled.Pause,
        RecurringScheduleStatus.NeedsAttention => Icons.Material.Filled.ReportProblem,
        RecurringScheduleStatus.PastDue => Icons.Material.Filled.EventBusy,
        RecurringScheduleStatus.Cancelled => Icons.Material.Filled.Block,
        RecurringScheduleStatus.Completed => Icons.Material.Filled.TaskAlt,
        _ => Icons.Material.Filled.Circle,
    };

    public static string Cycle(RecurringCycleStatus status) => status switch
    {
        RecurringCycleStatus.Processing => "Processing",
        RecurringCycleStatus.PendingVerification => "Pending verification",
        RecurringCycleStatus.RetryScheduled => "Retry scheduled",
        RecurringCycleStatus.Succeeded => "Succeeded",
        RecurringCycleStatus.Failed => "Failed",
        _ => status.ToString(),
    };

    public static Color Tone(RecurringCycleStatus status) => status switch
    {
        RecurringCycleStatus.Succeeded => Color.Success,
        RecurringCycleStatus.Failed => Color.Error,
        RecurringCycleStatus.RetryScheduled => Color.Warning,
        _ => Color.Info,
    };

    public static string Attempt(RecurringAttemptStatus status) => status switch
    {
        RecurringAttemptStatus.Sent => "Sent",
        RecurringAttemptStatus.PendingVerification => "Pending verification",
        RecurringAttemptStatus.Approved => "Approved",
        RecurringAttemptStatus.SoftDeclined => "Soft decline",
        RecurringAttemptStatus.HardDeclined => "Hard decline",
        _ => status.ToString(),
    };

    public static string Kind(TokenChargeKind kind) => kind switch
    {
        TokenChargeKind.RecurringFirst => "first charge (recurring contract)",
        TokenChargeKind.MerchantInitiatedCycle => "merchant-initiated (delayed charge)",
        TokenChargeKind.MerchantInitiatedResubmission => "merchant-initiated (resubmission)",
        _ => kind.ToString(),
    };

    public static string Interval(RecurringIntervalUnit unit, int count) => RecurringCalendar.Describe(unit, count);

    public static string EndRule(RecurringEndKind kind, DateOnly? endDate, int? maxCycles) => kind switch
    {
        RecurringEndKind.OnDate when endDate is { } d => $"ends on {d:yyyy-MM-dd}",
        RecurringEndKind.AfterCycles when maxCycles is { } n => $"ends after {n} {(n == 1 ? "cycle" : "cycles")}",
        _ => "open-ended (until cancelled)",
    };

    /// <summary>Audit action names as a person reads them.</summary>
    public static string AuditAction(string action) => action switch
    {
        RecurringAuditActions.Created => "Created",
        RecurringAuditActions.Paused => "Collection paused",
        RecurringAuditActions.Resumed => "Collection resumed",
        RecurringAuditActions.Cancelled => "Cancelled",
        RecurringAuditActions.AmountChanged => "Amount changed",
        RecurringAuditActions.ChargeNow => "Charge now requested",
        RecurringAuditActions.Refused => "Refused",
        RecurringAuditActions.CycleSucceeded => "Cycle charged",
        RecurringAuditActions.CycleDeclined => "Cycle declined",
        RecurringAuditActions.CyclePendingVerification => "Cycle pending verification",
        RecurringAuditActions.ScheduleStopped => "Schedule stopped",
        RecurringAuditActions.Completed => "Completed",
        _ => action,
    };
}
