using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Components.Shared;
using Portal.Jobs;
using Radzen;

namespace Portal.Components.Pages.Jobs;

public sealed partial class Jobs
{
    private readonly HashSet<string> busy = [];
    private readonly CancellationTokenSource disposed = new();
    private IReadOnlyList<JobSummary>? summaries;
    private IReadOnlyList<JobRun> history = [];
    private string? selected;
    private bool schedulesOn = true;
    private Timer? refresh;

    [Inject] private JobQueries Queries { get; set; } = default!;
    [Inject] private PortalScheduler Scheduler { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        schedulesOn = Scheduler.SchedulesEnabled;
        await LoadAsync();
        // Keep "running now", last run and next run current while the page is open.
        refresh = new Timer(_ => InvokeAsync(async () =>
        {
            if (disposed.IsCancellationRequested) return;
            await LoadAsync();
            StateHasChanged();
        }), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    private async Task LoadAsync()
    {
        summaries = await Queries.GetSummariesAsync(disposed.Token);
        if (selected is not null)
            history = await Queries.GetHistoryAsync(selected, 200, disposed.Token);
    }

    private async Task SelectAsync(string jobName)
    {
        selected = jobName;
        history = await Queries.GetHistoryAsync(jobName, 200, disposed.Token);
    }

    private async Task RunNowAsync(JobDefinition job)
    {
        if (!busy.Add(job.Name)) return;
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            // Finance may watch jobs; only admins start them (checked here too, not only by hiding the button).
            if (!user.IsInRole(Domain.Security.Roles.Admin))
            {
                Notifications.Notify(NotificationSeverity.Error, "Not allowed", "Only admins can run a job by hand.");
                return;
            }
            await Scheduler.TriggerNowAsync(job.Name, CurrentActor.From(user), disposed.Token);
            Notifications.Notify(NotificationSeverity.Info, "Job started", $"{job.Title} is running.");
            await Task.Delay(500, disposed.Token);
            await SelectAsync(job.Name);
            await LoadAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Notifications.Notify(NotificationSeverity.Error, "Could not start the job", ex.Message);
        }
        finally
        {
            busy.Remove(job.Name);
        }
    }

    private static string Describe(TimeSpan interval) =>
        interval.TotalHours >= 1 && interval.TotalHours % 1 == 0 ? $"{interval.TotalHours:0} h"
        : interval.TotalMinutes >= 1 && interval.TotalMinutes % 1 == 0 ? $"{interval.TotalMinutes:0} min"
        : $"{interval.TotalSeconds:0} s";

    private static string Duration(JobRun run) => run.DurationMs switch
    {
        null => run.Outcome == JobRunOutcome.Running ? "running…" : "—",
        < 1000 => $"{run.DurationMs} ms",
        var ms => $"{ms / 1000.0:0.0} s",
    };

    public void Dispose()
    {
        disposed.Cancel();
        refresh?.Dispose();
        disposed.Dispose();
    }
}
