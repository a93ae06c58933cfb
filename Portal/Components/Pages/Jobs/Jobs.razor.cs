using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Components.Shared;
using Portal.Jobs;
using MudBlazor;

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
    [Inject] private JobScheduler Scheduler { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
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

    private Task RunNowAsync(JobDefinition job) => ActAsync(job, async actor =>
    {
        await Scheduler.TriggerNowAsync(job.Name, actor, disposed.Token);
        Snackbar.Add($"{job.Title} is queued to run now.", Severity.Info);
        await Task.Delay(500, disposed.Token);
        await SelectAsync(job.Name);
    });

    private Task PauseAsync(JobDefinition job) => ActAsync(job, async actor =>
    {
        var changed = await Scheduler.PauseAsync(job.Name, actor, disposed.Token);
        Snackbar.Add(changed ? $"{job.Title} is paused: it will not run on its schedule until resumed." : $"{job.Title} was already paused.",
            changed ? Severity.Success : Severity.Info);
    });

    private Task ResumeAsync(JobDefinition job) => ActAsync(job, async actor =>
    {
        var changed = await Scheduler.ResumeAsync(job.Name, actor, disposed.Token);
        Snackbar.Add(changed ? $"{job.Title} is resumed." : $"{job.Title} was not paused.", changed ? Severity.Success : Severity.Info);
    });

    /// <summary>Admin actions: busy guard per job, role checked here too (not only by hiding the buttons), errors shown.</summary>
    private async Task ActAsync(JobDefinition job, Func<Domain.Audit.Actor, Task> action)
    {
        if (!busy.Add(job.Name)) return;
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            if (!user.IsInRole(Domain.Security.Roles.Admin))
            {
                Snackbar.Add("Only admins can run, pause or resume a job.", Severity.Error);
                return;
            }
            await action(CurrentActor.From(user));
            await LoadAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Snackbar.Add($"{job.Title}: {ex.Message}", Severity.Error);
        }
        finally
        {
            busy.Remove(job.Name);
        }
    }

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
