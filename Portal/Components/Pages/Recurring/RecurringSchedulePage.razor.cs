using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Domain.Recurring;
using Portal.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>
/// <c>/recurring/{id}</c>: a schedule's settings, next charges, every cycle with its attempts and
/// payment, the audit trail; Finance's actions through one <see cref="CommandExecutor"/>. The page
/// only hides the buttons from others: the service refuses them anyway.
/// </summary>
public sealed partial class RecurringSchedulePage
{
    private readonly CancellationTokenSource disposed = new();
    private CommandExecutor executor = default!;
    private RecurringScheduleDetail? detail;
    private bool loading = true;
    private bool canWrite;

    [Parameter] public string Id { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject] private RecurringQueries Queries { get; set; } = default!;
    [Inject] private RecurringScheduleService Service { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<RecurringSchedulePage> Logger { get; set; } = default!;

    protected override void OnInitialized() =>
        executor = new CommandExecutor(Dialogs, Snackbar, Logger, () => _ = InvokeAsync(StateHasChanged));

    protected override async Task OnParametersSetAsync()
    {
        canWrite = RecurringUsers.MayWrite((await AuthState).User);
        loading = detail?.Schedule.Id != Id;
        await LoadAsync();
        loading = false;
    }

    private async Task LoadAsync()
    {
        try
        {
            detail = await Queries.GetAsync(Id, disposed.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? StatusNote(RecurringScheduleView s) => s.Status switch
    {
        RecurringScheduleStatus.NeedsAttention => $"Needs attention: {s.StatusReason ?? "the card was declined in a way that retrying cannot fix."} Nothing is charged until someone resumes or cancels the schedule.",
        RecurringScheduleStatus.PastDue => $"Past due: {s.StatusReason ?? "the last retry was declined too."} Nothing is charged until someone resumes or cancels the schedule.",
        RecurringScheduleStatus.Paused => (s.StatusReason ?? "Paused.") + " Cycles falling due while paused are skipped; resuming continues with the first cycle due today or later.",
        RecurringScheduleStatus.Cancelled => s.StatusReason ?? "Cancelled.",
        RecurringScheduleStatus.Completed => "Completed: every cycle of the schedule is done.",
        _ when s.HasOpenAttempt => "A charge is in progress or its outcome is being verified with the gateway; nothing else is sent until it is settled.",
        _ => null,
    };

    private async Task<RecurringUser> UserAsync() => RecurringUsers.From((await AuthState).User);

    private Task ChargeNowAsync()
    {
        var s = detail!.Schedule;
        return RunAsync(new UiCommand("charge-now", "Charge next cycle now", $"Charging cycle {s.NextCycleNumber}…",
            new Confirmation("Charge the next cycle now?",
                $"{RecurringFormat.Money(s.AmountMinor, s.Currency)} is charged to {s.MaskedCard} now for cycle {s.NextCycleNumber}, instead of on its due date. Later cycles keep their dates.",
                "Charge now")),
            async ct =>
            {
                var outcome = await Service.ChargeNextNowAsync(s.Id, await UserAsync(), ct);
                return outcome.Status switch
                {
                    RecurringCycleStatus.Succeeded => $"Cycle {outcome.CycleNumber} charged: {RecurringFormat.Money(s.AmountMinor, s.Currency)}.",
                    RecurringCycleStatus.PendingVerification => $"Cycle {outcome.CycleNumber}: the gateway's answer is not in yet; it is verified with the gateway shortly, never charged again.",
                    RecurringCycleStatus.RetryScheduled => throw new RecurringChargeDeclinedException($"Cycle {outcome.CycleNumber} was declined ({outcome.Message ?? "soft decline"}); a retry is scheduled."),
                    _ => throw new RecurringChargeDeclinedException($"Cycle {outcome.CycleNumber} failed: {outcome.Message ?? "declined"}."),
                };
            });
    }

    private Task PauseAsync() => RunAsync(
        new UiCommand("pause", "Pause collection", "Pausing…", new Confirmation("Pause collection?",
            "Nothing is charged while the schedule is paused. Cycles that fall due meanwhile are skipped, not charged later: resuming continues with the first cycle due on or after that day.",
            "Pause collection")),
        async ct =>
        {
            await Service.PauseAsync(detail!.Schedule.Id, await UserAsync(), ct);
            return "Collection paused.";
        });

    private Task ResumeAsync() => RunAsync(
        new UiCommand("resume", "Resume collection", "Resuming…", new Confirmation("Resume collection?",
            "The schedule becomes active again. Cycles that fell due while it was stopped are skipped; the next charge is the first cycle due today or later.",
            "Resume collection")),
        async ct =>
        {
            var view = await Service.ResumeAsync(detail!.Schedule.Id, await UserAsync(), ct);
            return view.NextChargeAtUtc is { } next
                ? $"Collection resumed: cycle {view.NextCycleNumber} is charged on {next:yyyy-MM-dd}."
                : "Collection resumed; no cycle is left, so the schedule is completed.";
        });

    private async Task CancelAsync()
    {
        var s = detail!.Schedule;
        var dialog = await Dialogs.ShowAsync<CancelScheduleDialog>("Cancel this schedule?",
            new DialogParameters<CancelScheduleDialog> { { x => x.Schedule, s } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: string reason }) return;
        await RunAsync(new UiCommand("cancel", "Cancel schedule", "Cancelling…"), async ct =>
        {
            await Service.CancelAsync(s.Id, reason, await UserAsync(), ct);
            return "Schedule cancelled. It is final: nothing more is charged.";
        });
    }

    private async Task ChangeAmountAsync()
    {
        var s = detail!.Schedule;
        var dialog = await Dialogs.ShowAsync<ChangeAmountDialog>("Change the amount",
            new DialogParameters<ChangeAmountDialog> { { x => x.Schedule, s } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: long newAmount }) return;
        await RunAsync(new UiCommand("change-amount", "Change amount", "Changing the amount…"), async ct =>
        {
            var view = await Service.ChangeAmountAsync(s.Id, newAmount, await UserAsync(), ct);
            return $"Amount changed from {RecurringFormat.Money(s.AmountMinor, s.Currency)} to {RecurringFormat.Money(view.AmountMinor, view.Currency)}, from cycle {view.NextCycleNumber} on.";
        });
    }

    private async Task RunAsync(UiCommand command, Func<CancellationToken, Task<string>> action)
    {
        await executor.RunAsync(command, action, disposed.Token);
        // Whatever happened (a decline, a refusal, a change by the job meanwhile), show the schedule as it is now.
        await LoadAsync();
        StateHasChanged();
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}

/// <summary>"Charge now" reached the gateway and was declined: shown as an error, its message as the gateway gave it.</summary>
public sealed class RecurringChargeDeclinedException(string message) : Domain.DomainException(message);
