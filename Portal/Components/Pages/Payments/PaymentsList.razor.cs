using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;
using Radzen;
using Radzen.Blazor;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// The payments list. Its whole state (filters, sort, page) is the URL's query string: the page
/// reads it, and every change writes it back, so a view can be bookmarked, shared and reloaded.
/// Rows, count and search all run in SQL through <see cref="PaymentListQueries"/>.
/// </summary>
public sealed partial class PaymentsList : IDisposable
{
    private static readonly PaymentStatus[] AllStatuses = Enum.GetValues<PaymentStatus>();
    private static readonly PaymentMode[] AllModes = Enum.GetValues<PaymentMode>();
    private static readonly PaymentTenant[] AllTenants = Enum.GetValues<PaymentTenant>();
    private static readonly string[] CurrencyCodes = Currency.All.Select(c => c.Code).ToArray();
    private static readonly string[] InCallOptions = ["On a call", "Online"];

    private readonly ListLoader loader = new();
    private PaymentListState state = PaymentListState.Default;
    private string? notice;
    private IReadOnlyList<PaymentListRow>? rows;
    private int? total;
    private string? countedKey;
    private bool loading;
    private string? searchText;
    private IReadOnlyList<string> gateways = [];
    private int gridKey;

    // The sort the current grid instance was created with. Column sort parameters stay fixed for
    // a grid's life (the grid owns its sort after that); a sort from the URL gets a new grid.
    private (PaymentSort Sort, bool Descending) gridSort;

    [Inject] private PaymentListQueries Queries { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private DialogService Dialogs { get; set; } = default!;
    [Inject] private ILogger<PaymentsList> Logger { get; set; } = default!;

    private string? InCallText => state.Filter.InCall switch { true => InCallOptions[0], false => InCallOptions[1], null => null };

    /// <summary>The search, when it found nothing and could be a Voucherly payment id: the empty state offers to look it up.</summary>
    private string? VoucherlyLookupQuery =>
        !loading && rows is { Count: 0 } && VoucherlyImportCommands.CouldBeVoucherlyId(state.Filter.Search) ? state.Filter.Search!.Trim() : null;

    private string ExportUrl => "/payments/export.csv?" + Join(state.ToQueryString(), "tz=" + Uri.EscapeDataString(loader.ZoneId ?? "UTC"));

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
        var parsed = PaymentListState.Parse(new Uri(Navigation.Uri).Query);
        notice = parsed.Notice;
        state = parsed.State;
        searchText = state.Filter.Search;
        gridSort = (state.Sort, state.Descending);
    }

    /// <summary>Back/forward, a saved view or a link changed the URL: show what it says.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (!new Uri(e.Location).AbsolutePath.Equals("/payments", StringComparison.OrdinalIgnoreCase)) return;
        var parsed = PaymentListState.Parse(new Uri(e.Location).Query);
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
        var (sort, descending) = sorted is null ? (PaymentSort.Created, true) : (SortFromColumn(sorted.Property), sorted.SortOrder == SortOrder.Descending);
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
            var page = await Queries.ListAsync(state, zone, includeCount, token, total);
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
                page = await Queries.ListAsync(state, zone, false, token, total);
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
            Logger.LogError(e, "Payments list query failed for {Query}", state.ToQueryString());
            Notifications.Notify(NotificationSeverity.Error, "Could not load payments", "The error was logged. Try again, or change the filters.");
        }
    }

    private async Task SetFilterAsync(Func<PaymentListFilter, PaymentListFilter> change)
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
        await SetFilterAsync(_ => new PaymentListFilter());
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
        Navigation.NavigateTo("/payments" + (query.Length == 0 ? "" : "?" + query));
        return Task.CompletedTask;
    }

    private async Task OpenImportAsync(string? voucherlyPaymentId)
    {
        await Dialogs.OpenAsync<VoucherlyImportDialog>("Import from Voucherly",
            new Dictionary<string, object?>
            {
                [nameof(VoucherlyImportDialog.InitialId)] = voucherlyPaymentId,
                // The list behind shows the imported payment (and the new count) while the dialog stays open.
                [nameof(VoucherlyImportDialog.Imported)] = EventCallback.Factory.Create<VoucherlyImportResult>(this, () => LoadAsync(recount: true)),
            },
            new DialogOptions { Width = "540px", CloseDialogOnOverlayClick = false, CloseDialogOnEsc = true });
    }

    private void Open(PaymentListRow row) => Navigation.NavigateTo($"/payments/{Uri.EscapeDataString(row.Id)}");

    private void WriteUrl(bool push)
    {
        var query = state.ToQueryString();
        Navigation.NavigateTo("/payments" + (query.Length == 0 ? "" : "?" + query), new NavigationOptions { ReplaceHistoryEntry = !push });
    }

    private SortOrder? SortOf(PaymentSort sort) =>
        gridSort.Sort == sort ? gridSort.Descending ? SortOrder.Descending : SortOrder.Ascending : null;

    private static PaymentSort SortFromColumn(string? property) => property switch
    {
        nameof(PaymentListRow.FinalAmount) => PaymentSort.Amount,
        nameof(PaymentListRow.Status) => PaymentSort.Status,
        nameof(PaymentListRow.Currency) => PaymentSort.Currency,
        nameof(PaymentListRow.CustomerName) => PaymentSort.Customer,
        nameof(PaymentListRow.ReferenceId) => PaymentSort.Reference,
        _ => PaymentSort.Created,
    };

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "&" + b;

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        loader.Dispose();
    }
}
