using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Components.Shared;
using Portal.Domain;
using Portal.Domain.Webhooks;
using Portal.Webhooks;
using MudBlazor;

namespace Portal.Components.Pages.Webhooks;

public sealed partial class Webhooks
{
    private static readonly WebhookSource[] sources = Enum.GetValues<WebhookSource>();
    private static readonly WebhookDeliveryStatus[] statuses = Enum.GetValues<WebhookDeliveryStatus>();
    private readonly HashSet<long> busy = [];
    private MudDataGrid<WebhookRow>? grid;
    private string? notice;

    [Inject] private WebhookQueries Queries { get; set; } = default!;
    [Inject] private WebhookIngestion Ingestion { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "source")] public string? SourceParam { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Search { get; set; }

    private WebhookSource? Source { get; set; }
    private WebhookDeliveryStatus? Status { get; set; }

    protected override void OnParametersSet()
    {
        var bad = new List<string>();
        Source = ParseEnum<WebhookSource>(SourceParam, "source", bad);
        Status = ParseEnum<WebhookDeliveryStatus>(StatusParam, "status", bad);
        notice = bad.Count == 0 ? null : "Ignored invalid filter values in the address: " + string.Join(", ", bad) + ".";
    }

    private static T? ParseEnum<T>(string? value, string name, List<string> bad) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        bad.Add($"{name}={value}");
        return null;
    }

    private async Task<GridData<WebhookRow>> LoadAsync(GridState<WebhookRow> state, CancellationToken cancellationToken)
    {
        var (page, count) = await Queries.ListAsync(new WebhookFilter(Source, Status, Search), state.Page * state.PageSize, state.PageSize, cancellationToken);
        return new GridData<WebhookRow> { Items = page, TotalItems = count };
    }

    /// <summary>A filter changed: put it in the address (so the view can be shared) and start on the first page.</summary>
    private async Task ApplyAsync(Action change)
    {
        change();
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["source"] = Source?.ToString(),
            ["status"] = Status?.ToString(),
            ["q"] = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
        }), replace: true);
        if (grid is not null)
        {
            if (grid.CurrentPage != 0)
                grid.NavigateTo(Page.First);
            await grid.ReloadServerData();
        }
    }

    private async Task ReprocessAsync(WebhookRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Reprocess callback",
            $"Apply the {SourceName(row.Source)} callback for {row.ExternalTransactionId} again?", yesText: "Reprocess", cancelText: "Cancel");
        if (confirmed != true || !busy.Add(row.Id)) return;
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            var result = await Ingestion.ReprocessAsync(row.Id, CurrentActor.From(user), CancellationToken.None);
            if (result.Outcome == WebhookIngestOutcome.Applied)
                Snackbar.Add("Callback applied. " + result.Message, Severity.Success);
            else if (result.Outcome == WebhookIngestOutcome.Refused)
                Snackbar.Add("Callback recorded, status not changed. " + result.Message, Severity.Info);
            else
                Snackbar.Add("Still failing: " + result.Message, Severity.Warning);
            if (grid is not null) await grid.ReloadServerData();
        }
        catch (DomainException ex)
        {
            Snackbar.Add("Cannot reprocess: " + ex.Message, Severity.Error);
        }
        finally
        {
            busy.Remove(row.Id);
        }
    }

    private static string SourceName(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => "VCC",
        WebhookSource.EComCharge => "eComCharge",
        _ => "Card gateway",
    };

    private static string Tries(int attempts) => attempts == 1 ? "tried once" : $"tried {attempts} times";

    private static Color StatusColor(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Applied => Color.Success,
        WebhookDeliveryStatus.Failed => Color.Error,
        _ => Color.Info,
    };
}
