using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Audit;
using Portal.Components.Shared;
using MudBlazor;

namespace Portal.Components.Pages.Audit;

public sealed partial class AuditLogPage
{
    private MudDataGrid<AuditRow>? grid;
    private IReadOnlyList<string> actions = [];
    private IReadOnlyList<string> notices = [];
    private AuditUrlFilter urlFilter = AuditUrlFilter.Empty;
    private AuditFilter filter = new();
    private TimeZoneInfo? zone;

    private DateTime? fromInput;
    private DateTime? toInput;
    private string? actorInput;
    private string? actionInput;
    private string? resourceInput;

    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "actor")] public string? ActorQuery { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? ActionQuery { get; set; }
    [SupplyParameterFromQuery(Name = "resource")] public string? Resource { get; set; }

    [Inject] private AuditQueries Queries { get; set; } = default!;
    [Inject] private BrowserTimeZone BrowserTimeZone { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    protected override async Task OnParametersSetAsync()
    {
        urlFilter = AuditUrlFilter.Parse(From, To, ActorQuery, ActionQuery, Resource, out notices);
        fromInput = urlFilter.From?.ToDateTime(TimeOnly.MinValue);
        toInput = urlFilter.To?.ToDateTime(TimeOnly.MinValue);
        actorInput = urlFilter.Actor;
        actionInput = urlFilter.Action;
        resourceInput = urlFilter.Resource;
        if (zone is not null)
        {
            filter = urlFilter.ToFilter(zone);
            if (grid is not null)
            {
                // New filters start on the first page.
                if (grid.CurrentPage != 0)
                    grid.NavigateTo(Page.First);
                await grid.ReloadServerData();
            }
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        // Days in the filter and times in the grid are the browser's local ones, known once the circuit is up.
        zone = await BrowserTimeZone.GetAsync();
        filter = urlFilter.ToFilter(zone);
        actions = await Queries.ActionsAsync();
        if (actionInput is not null && !actions.Contains(actionInput))
            actions = [.. actions, actionInput];
        StateHasChanged();
    }

    private async Task<GridData<AuditRow>> LoadAsync(GridState<AuditRow> state, CancellationToken cancellationToken)
    {
        var list = await Queries.ListAsync(filter, state.Page * state.PageSize, state.PageSize, cancellationToken);
        return new GridData<AuditRow> { Items = list.Rows, TotalItems = list.Total };
    }

    private Task ApplyAsync()
    {
        var next = new AuditUrlFilter(
            fromInput is { } f ? DateOnly.FromDateTime(f) : null,
            toInput is { } t ? DateOnly.FromDateTime(t) : null,
            Blank(actorInput), Blank(actionInput), Blank(resourceInput));
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(next.ToQuery()));
        return Task.CompletedTask;
    }

    private Task ClearAsync()
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(AuditUrlFilter.Empty.ToQuery()));
        return Task.CompletedTask;
    }

    private string Local(DateTime utc) =>
        BrowserTimeZone.ToLocal(utc, zone ?? TimeZoneInfo.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
