using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;
using Radzen;
using Portal.Components.Pages.Payments;

namespace Portal.Components.Pages.Transactions;

/// <summary>
/// The transactions list: every gateway attempt, with the same URL-held state and server-side
/// paging, sorting and filtering as the payments list (<see cref="TransactionListQueries"/>).
/// </summary>
public sealed partial class TransactionsList : IDisposable
{
    private static readonly TransactionStatus[] AllStatuses = Enum.GetValues<TransactionStatus>();
    private static readonly string[] CurrencyCodes = Currency.All.Select(c => c.Code).ToArray();

    private readonly ListLoader loader = new();
    private TransactionListState state = TransactionListState.Default;
    private string? notice;
    private IReadOnlyList<TransactionListRow>? rows;
    private int? total;
    private string? countedKey;
    private bool loading;
    private string? searchText;
    private IReadOnlyList<string> gateways = [];
    private int gridKey;

    // The sort the current grid instance was created with. Column sort parameters stay fixed for
    // a grid's life (the grid owns its sort after that); a sort from the URL gets a new grid.
    private (TransactionSort Sort, bool Descending) gridSort;

    [Inject] private TransactionListQueries Queries { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private ILogger<TransactionsList> Logger { get; set; } = default!;

    private string ExportUrl => "/transactions/export.csv?" + Join(state.ToQueryString(), "tz=" + Uri.EscapeDataString(loader.ZoneId ?? "UTC"));

    protected override void OnInitialized()
    {
        ReadUrl();
        Navigation.LocationChanged += OnLocationChanged;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            var known = await Queries.GatewaysAsync(loader.Token);
            gateways = state.Filter.Gateway is { } g && !known.Contains(g) ? [.. known, g] : known;
            StateHasChanged();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReadUrl()
    {
        var parsed = TransactionListState.Parse(new Uri(Navigation.Uri).Query);
        notice = parsed.Notice;
        state = parsed.State;
        searchText = state.Filter.Search;
        gridSort = (state.Sort, state.Descending);
    }

    /// <summary>Back/forward, a saved view or a link changed the URL: show what it says.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (!new Uri(e.Location).AbsolutePath.Equals("/transactions", StringComparison.OrdinalIgnoreCase)) return;
        var parsed = TransactionListState.Parse(new Uri(e.Location).Query);
        if (parsed.State.Equals(state)) return;
        _ = InvokeAsync(async () =>
        {
            var sortChanged = parsed.State.Sort != state.Sort || parsed.State.Descending != state.Descending;
            notice = parsed.Notice;
            state = parsed.State;
            searchText = state.Filter.Search;
            if (sortChanged)
            {
                // A new grid picks up the new sort from its columns and loads through LoadData.
                rows = null;
                gridKey++;
                gridSort = (state.Sort, state.Descending);
                StateHasChanged();
                return;
            }
            await LoadAsync();
            StateHasChanged();
        });
    }

    private async Task OnLoadDataAsync(LoadDataArgs args)
    {
        var sorted = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
        var (sort, descending) = sorted is null ? (TransactionSort.Created, true) : (SortFromColumn(sorted.Property), sorted.SortOrder == SortOrder.Descending);
        if (sort != state.Sort || descending != state.Descending)
        {
            state = state with { Sort = sort, Descending = descending, Page = 1 };
            WriteUrl(push: true);
        }
        await LoadAsync();
    }

    private async Task LoadAsync(bool recount = false)
    {
        loading = true;
        try
        {
            var (zone, token) = await loader.BeginAsync(JS);
            var key = state.FilterKey + "|" + zone.Id;
            var includeCount = recount || key != countedKey || total is null;
            var page = await Queries.ListAsync(state, zone, includeCount, token);
            if (includeCount)
            {
                total = page.Total;
                countedKey = key;
            }
            var pages = Math.Max(1, ((total ?? 0) + state.Size - 1) / state.Size);
            if (page.Rows.Count == 0 && state.Page > pages)
            {
                // A link to a page past the end (the set shrank): show the last page instead.
                state = state with { Page = pages };
                WriteUrl(push: false);
                page = await Queries.ListAsync(state, zone, false, token);
            }
            rows = page.Rows;
            loading = false;
        }
        catch (OperationCanceledException)
        {
            // A newer load replaced this one; it owns the loading flag.
        }
        catch (Exception e)
        {
            loading = false;
            rows ??= [];
            Logger.LogError(e, "Transactions list query failed for {Query}", state.ToQueryString());
            Notifications.Notify(NotificationSeverity.Error, "Could not load transactions", "The error was logged. Try again, or change the filters.");
        }
    }

    private async Task SetFilterAsync(Func<TransactionListFilter, TransactionListFilter> change)
    {
        var next = state with { Filter = change(state.Filter), Page = 1 };
        if (next.Equals(state)) return;
        state = next;
        notice = null;
        WriteUrl(push: true);
        await LoadAsync();
    }

    private async Task OnSearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await ApplySearchAsync();
    }

    private Task ApplySearchAsync()
    {
        var q = string.IsNullOrWhiteSpace(searchText) ? null : searchText.Trim();
        if (q is { Length: > QueryStringReader.MaxSearchLength }) q = q[..QueryStringReader.MaxSearchLength];
        return SetFilterAsync(f => f with { Search = q });
    }

    private async Task ClearAsync()
    {
        searchText = null;
        await SetFilterAsync(_ => new TransactionListFilter());
    }

    private async Task GoToPageAsync(int page)
    {
        state = state with { Page = page };
        WriteUrl(push: false);
        await LoadAsync();
    }

    private async Task SetSizeAsync(int size)
    {
        state = state with { Size = size, Page = 1 };
        WriteUrl(push: false);
        await LoadAsync();
    }

    private Task ApplySavedViewAsync(string query)
    {
        Navigation.NavigateTo("/transactions" + (query.Length == 0 ? "" : "?" + query));
        return Task.CompletedTask;
    }

    private void Open(TransactionListRow row) => Navigation.NavigateTo($"/payments/{Uri.EscapeDataString(row.PaymentId)}");

    private void WriteUrl(bool push)
    {
        var query = state.ToQueryString();
        Navigation.NavigateTo("/transactions" + (query.Length == 0 ? "" : "?" + query), new NavigationOptions { ReplaceHistoryEntry = !push });
    }

    private SortOrder? SortOf(TransactionSort sort) =>
        gridSort.Sort == sort ? gridSort.Descending ? SortOrder.Descending : SortOrder.Ascending : null;

    private static TransactionSort SortFromColumn(string? property) => property switch
    {
        nameof(TransactionListRow.RequestedAmount) => TransactionSort.Amount,
        nameof(TransactionListRow.Status) => TransactionSort.Status,
        nameof(TransactionListRow.GatewayId) => TransactionSort.Gateway,
        _ => TransactionSort.Created,
    };

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "&" + b;

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        loader.Dispose();
    }
}
