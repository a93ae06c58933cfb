using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Portal.Domain.Recurring;
using Portal.Payments;
using Portal.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>
/// <c>/recurring</c>: every schedule, filtered, sorted and paged in the database. The whole state
/// is the address (<see cref="RecurringListAddress"/>): a change of filter, sort or page writes
/// it, back/forward and links read it, so a view can be bookmarked and shared. The grid is
/// created anew whenever the state comes from outside it (a filter, the address), so it always
/// starts from the state's page and sort.
/// </summary>
public sealed partial class RecurringList
{
    private readonly CancellationTokenSource disposed = new();
    private RecurringListRequest request = RecurringListUrl.Parse(_ => null);
    private RecurringSort gridSort;
    private bool gridDescending;
    private int gridKey;
    private string? notice;
    private string? searchText;
    private int? total;
    private string? countedFilter;

    [Inject] private RecurringQueries Queries { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<RecurringList> Logger { get; set; } = default!;

    private bool HasFilters => request.Filter != RecurringListFilter.None;

    protected override void OnInitialized()
    {
        Apply(RecurringListAddress.Read(new Uri(Navigation.Uri).Query));
        Navigation.LocationChanged += OnLocationChanged;
    }

    private void Apply(RecurringListAddress.Reading reading)
    {
        request = reading.Request;
        notice = reading.Notice;
        searchText = request.Filter.Search;
        gridSort = request.Sort;
        gridDescending = request.Descending;
        gridKey++;
    }

    /// <summary>Back/forward or a link changed the address: show what it says.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var uri = new Uri(e.Location);
        if (!uri.AbsolutePath.Equals(RecurringListAddress.Path, StringComparison.OrdinalIgnoreCase)) return;
        var reading = RecurringListAddress.Read(uri.Query);
        if (reading.Request == request) return;
        _ = InvokeAsync(() =>
        {
            Apply(reading);
            StateHasChanged();
        });
    }

    /// <summary>A column's initial sort: the state's sort when it is this column's (a grid keeps its own sort after that).</summary>
    private SortDirection Initial(RecurringSort sort) =>
        gridSort != sort ? SortDirection.None : gridDescending ? SortDirection.Descending : SortDirection.Ascending;

    private async Task<GridData<RecurringListRow>> LoadAsync(GridState<RecurringListRow> grid, CancellationToken cancellationToken)
    {
        var sortBy = grid.SortDefinitions.FirstOrDefault();
        var (sort, descending) = sortBy is null ? (RecurringSort.NextCharge, false) : (SortOf(sortBy.SortBy), sortBy.Descending);
        var next = request with { Sort = sort, Descending = descending, Page = grid.Page, PageSize = grid.PageSize };
        if (next != request)
        {
            var sortChanged = next.Sort != request.Sort || next.Descending != request.Descending;
            request = next;
            // A new sort is a new view (its own history entry); paging through one is not.
            WriteAddress(push: sortChanged);
        }
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
            var filterKey = RecurringListUrl.ToQueryString(new RecurringListRequest(request.Filter));
            var includeCount = total is null || countedFilter != filterKey;
            var page = await Queries.ListAsync(request, includeCount, linked.Token);
            if (includeCount)
            {
                total = page.Total;
                countedFilter = filterKey;
            }
            var count = total ?? 0;
            var lastPage = Math.Max(0, (count - 1) / request.PageSize);
            if (page.Rows.Count == 0 && request.Page > lastPage)
            {
                // A link to a page past the end (the set shrank): show the last page instead.
                request = request with { Page = lastPage };
                WriteAddress(push: false);
                page = await Queries.ListAsync(request, false, linked.Token);
                await InvokeAsync(() =>
                {
                    gridKey++;
                    StateHasChanged();
                });
            }
            await InvokeAsync(StateHasChanged); // the export button follows the count
            return new GridData<RecurringListRow> { Items = page.Rows, TotalItems = count };
        }
        catch (OperationCanceledException)
        {
            return new GridData<RecurringListRow> { Items = [], TotalItems = total ?? 0 };
        }
        catch (Exception e)
        {
            Logger.LogError(e, "The recurring list query failed for {Query}", RecurringListUrl.ToQueryString(request));
            Snackbar.Add("Could not load the schedules. The error was logged; try again, or change the filters.", Severity.Error);
            return new GridData<RecurringListRow> { Items = [], TotalItems = 0 };
        }
    }

    private static RecurringSort SortOf(string? column) => column switch
    {
        nameof(RecurringListRow.AmountMinor) => RecurringSort.Amount,
        nameof(RecurringListRow.CreatedAtUtc) => RecurringSort.Created,
        nameof(RecurringListRow.Status) => RecurringSort.Status,
        _ => RecurringSort.NextCharge,
    };

    private Task SetStatusAsync(RecurringScheduleStatus? status) => SetFilterAsync(request.Filter with { Status = status });

    private Task SetFailuresAsync(bool? failures) => SetFilterAsync(request.Filter with { HasFailures = failures });

    private Task SetDatesAsync(DateTime? from, DateTime? to)
    {
        var f = from is { } a ? DateOnly.FromDateTime(a) : (DateOnly?)null;
        var t = to is { } b ? DateOnly.FromDateTime(b) : (DateOnly?)null;
        // Picking a start after the end keeps the start and drops the end, rather than showing nothing.
        if (f is not null && t is not null && t < f) t = null;
        return SetFilterAsync(request.Filter with { NextFrom = f, NextTo = t });
    }

    private async Task OnSearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await ApplySearchAsync();
    }

    private Task ApplySearchAsync()
    {
        var q = string.IsNullOrWhiteSpace(searchText) ? null : searchText.Trim();
        if (q is { Length: > QueryStringReader.MaxSearchLength }) q = q[..QueryStringReader.MaxSearchLength];
        return SetFilterAsync(request.Filter with { Search = q });
    }

    private Task ClearAsync()
    {
        searchText = null;
        return SetFilterAsync(RecurringListFilter.None);
    }

    private Task SetFilterAsync(RecurringListFilter filter)
    {
        if (filter == request.Filter) return Task.CompletedTask;
        request = request with { Filter = filter, Page = 0 };
        notice = null;
        WriteAddress(push: true);
        // A new grid starts on the first page with the current sort.
        gridSort = request.Sort;
        gridDescending = request.Descending;
        gridKey++;
        return Task.CompletedTask;
    }

    private Task ReloadAsync()
    {
        total = null;
        gridKey++;
        return Task.CompletedTask;
    }

    private void OpenRow(DataGridRowClickEventArgs<RecurringListRow> e) => Navigation.NavigateTo($"/recurring/{e.Item.Id}");

    private void WriteAddress(bool push) =>
        Navigation.NavigateTo(RecurringListAddress.For(request), new NavigationOptions { ReplaceHistoryEntry = !push });

    private static DateTime? ToDate(DateOnly? day) => day?.ToDateTime(TimeOnly.MinValue);

    /// <summary>What the next-charge column says for a schedule that is not collecting.</summary>
    internal static string NotCharging(RecurringScheduleStatus status) => status switch
    {
        RecurringScheduleStatus.Paused => "paused",
        RecurringScheduleStatus.NeedsAttention or RecurringScheduleStatus.PastDue => "stopped",
        _ => "none",
    };

    private static string FailuresText(bool? value) => value switch
    {
        true => "With failed attempts",
        false => "Without failures",
        null => "Any",
    };

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        disposed.Cancel();
        disposed.Dispose();
    }
}
