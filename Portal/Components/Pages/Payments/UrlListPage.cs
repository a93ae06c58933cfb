using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// What the payments and transactions lists share. A list's whole state (filters, sort, page) is
/// its URL's query string: the page reads it, and every change writes it back, so a view can be
/// bookmarked, shared and reloaded; back/forward and saved views change the URL and the page
/// follows. Rows and counts come from the database a page at a time; the count is asked for only
/// when the filters (or the viewer's zone) changed. The page's <see cref="MudDataGrid{T}"/> asks for
/// its rows through <see cref="ServerDataAsync"/> (its sort is the URL's sort); paging is the page's
/// own <c>ListPager</c>, since the page number lives in the URL too.
/// </summary>
public abstract class UrlListPage<TState, TFilter, TSort, TRow> : ComponentBase, IDisposable
    where TState : class, IListState<TState, TFilter, TSort>
    where TFilter : class, IListFilter<TFilter>, new()
    where TSort : struct, Enum
{
    private readonly ListLoader _loader = new();
    private string? _countedKey;
    private bool _recount;
    private ILogger? _logger;

    protected TState state = TState.Default;
    protected string? notice;
    protected IReadOnlyList<TRow>? rows;
    protected int? total;
    protected bool loading;
    protected string? searchText;
    protected IReadOnlyList<string> gateways = [];
    protected int gridKey;
    protected MudDataGrid<TRow>? grid;

    /// <summary>The grid's <c>ServerData</c>, one delegate for the page's life (a new one on each render would look like a new parameter).</summary>
    protected readonly Func<GridState<TRow>, CancellationToken, Task<GridData<TRow>>> serverData;

    // The sort the current grid instance was created with. Column sort parameters stay fixed for
    // a grid's life (the grid owns its sort after that); a sort from the URL gets a new grid.
    private (TSort Sort, bool Descending) _gridSort;

    protected UrlListPage() => serverData = ServerDataAsync;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILoggerFactory LoggerFactory { get; set; } = default!;

    /// <summary>The page's address, e.g. <c>/payments</c>; its CSV export is at <c>{path}/export.csv</c>.</summary>
    protected abstract string ListPath { get; }

    /// <summary>What the rows are, for messages ("payments").</summary>
    protected abstract string ItemsName { get; }

    /// <summary>One page of rows, and the count when <paramref name="includeCount"/> (else <paramref name="knownTotal"/> may help the query).</summary>
    protected abstract Task<ListPage<TRow>> QueryAsync(TState listState, TimeZoneInfo zone, bool includeCount, int? knownTotal,
        CancellationToken cancellationToken);

    /// <summary>The gateway ids the gateway filter offers.</summary>
    protected abstract Task<IReadOnlyList<string>> GatewaysAsync(CancellationToken cancellationToken);

    /// <summary>The sort a grid column stands for.</summary>
    protected abstract TSort SortFromColumn(string? property);

    protected string ExportUrl => $"{ListPath}/export.csv?" + Join(state.ToQueryString(), "tz=" + Uri.EscapeDataString(_loader.ZoneId ?? "UTC"));

    private ILogger Logger => _logger ??= LoggerFactory.CreateLogger(GetType());

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
            var known = await GatewaysAsync(_loader.Token);
            gateways = state.Filter.Gateway is { } g && !known.Contains(g) ? [.. known, g] : known;
            StateHasChanged();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReadUrl()
    {
        var parsed = TState.Parse(new Uri(Navigation.Uri).Query);
        notice = parsed.Notice;
        state = parsed.State;
        searchText = state.Filter.Search;
        _gridSort = (state.Sort, state.Descending);
    }

    /// <summary>Back/forward, a saved view or a link changed the URL: show what it says.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (!new Uri(e.Location).AbsolutePath.Equals(ListPath, StringComparison.OrdinalIgnoreCase)) return;
        var parsed = TState.Parse(new Uri(e.Location).Query);
        if (parsed.State.Equals(state)) return;
        _ = InvokeAsync(async () =>
        {
            var sortChanged = !EqualityComparer<TSort>.Default.Equals(parsed.State.Sort, state.Sort) || parsed.State.Descending != state.Descending;
            notice = parsed.Notice;
            state = parsed.State;
            searchText = state.Filter.Search;
            if (sortChanged)
            {
                // A new grid picks up the new sort from its columns and loads through ServerDataAsync.
                rows = null;
                gridKey++;
                _gridSort = (state.Sort, state.Descending);
                StateHasChanged();
                return;
            }
            await ReloadAsync();
            StateHasChanged();
        });
    }

    /// <summary>
    /// The grid's <c>ServerData</c>: a header click changes the sort, which goes into the URL; the
    /// rows are one page of the URL's state (the grid's own page and size are not used).
    /// </summary>
    protected async Task<GridData<TRow>> ServerDataAsync(GridState<TRow> gridState, CancellationToken cancellationToken)
    {
        var sorted = gridState.SortDefinitions.FirstOrDefault();
        var (sort, descending) = sorted is null
            ? (TState.Default.Sort, TState.Default.Descending)
            : (SortFromColumn(sorted.SortBy), sorted.Descending);
        if (!EqualityComparer<TSort>.Default.Equals(sort, state.Sort) || descending != state.Descending)
        {
            state = state.WithSort(sort, descending);
            WriteUrl(push: true);
        }
        await LoadAsync();
        // The pager, the export button and the empty state live outside the grid: they show the new count too.
        StateHasChanged();
        return new GridData<TRow> { Items = rows ?? [], TotalItems = total ?? 0 };
    }

    /// <summary>Loads the rows again through the grid (which shows its loading bar meanwhile), or directly before it exists.</summary>
    protected Task ReloadAsync(bool recount = false)
    {
        if (grid is null) return LoadAsync(recount);
        _recount |= recount;
        return grid.ReloadServerData();
    }

    protected async Task LoadAsync(bool recount = false)
    {
        loading = true;
        try
        {
            var (zone, token) = await _loader.BeginAsync(JS);
            var key = state.FilterKey + "|" + zone.Id;
            var includeCount = recount || _recount || key != _countedKey || total is null;
            _recount = false;
            var page = await QueryAsync(state, zone, includeCount, total, token);
            if (includeCount)
            {
                total = page.Total;
                _countedKey = key;
            }
            var pages = Math.Max(1, ((total ?? 0) + state.Size - 1) / state.Size);
            if (page.Rows.Count == 0 && state.Page > pages)
            {
                // A link to a page past the end (the set shrank): show the last page instead.
                state = state.WithPage(pages);
                WriteUrl(push: false);
                page = await QueryAsync(state, zone, false, total, token);
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
            Logger.LogError(e, "The {Items} list query failed for {Query}", ItemsName, state.ToQueryString());
            Snackbar.Add($"Could not load {ItemsName}. The error was logged. Try again, or change the filters.", Severity.Error);
        }
    }

    protected async Task SetFilterAsync(Func<TFilter, TFilter> change)
    {
        var next = state.WithFilter(change(state.Filter));
        if (next.Equals(state)) return;
        state = next;
        notice = null;
        WriteUrl(push: true);
        await ReloadAsync();
    }

    protected async Task OnSearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await ApplySearchAsync();
    }

    protected Task ApplySearchAsync()
    {
        var q = string.IsNullOrWhiteSpace(searchText) ? null : searchText.Trim();
        if (q is { Length: > QueryStringReader.MaxSearchLength }) q = q[..QueryStringReader.MaxSearchLength];
        return SetFilterAsync(f => f.WithSearch(q));
    }

    protected async Task ClearAsync()
    {
        searchText = null;
        await SetFilterAsync(_ => new TFilter());
    }

    protected async Task GoToPageAsync(int page)
    {
        state = state.WithPage(page);
        WriteUrl(push: false);
        await ReloadAsync();
    }

    protected async Task SetSizeAsync(int size)
    {
        state = state.WithSize(size);
        WriteUrl(push: false);
        await ReloadAsync();
    }

    protected Task ApplySavedViewAsync(string query)
    {
        Navigation.NavigateTo(ListPath + (query.Length == 0 ? "" : "?" + query));
        return Task.CompletedTask;
    }

    private void WriteUrl(bool push)
    {
        var query = state.ToQueryString();
        Navigation.NavigateTo(ListPath + (query.Length == 0 ? "" : "?" + query), new NavigationOptions { ReplaceHistoryEntry = !push });
    }

    /// <summary>A column's initial sort: the sort the current grid was created with, when it is this column's.</summary>
    protected SortDirection SortOf(TSort sort) =>
        EqualityComparer<TSort>.Default.Equals(_gridSort.Sort, sort) ? _gridSort.Descending ? SortDirection.Descending : SortDirection.Ascending : SortDirection.None;

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "&" + b;

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _loader.Dispose();
        GC.SuppressFinalize(this);
    }
}
