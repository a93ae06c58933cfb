using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Components.Pages.Payments;
using Portal.Domain.Money;
using Portal.Domain.Refunds;
using Portal.Payments;
using MudBlazor;
using Portal.Refunds;

namespace Portal.Components.Pages.Refunds;

/// <summary>All refunds, filtered by status, UTC day range and admin; the filters live in the address so a view can be shared.</summary>
public sealed partial class Refunds
{
    private static readonly int[] PageSizes = [25, 50, 100];
    private readonly Func<GridState<RefundRow>, CancellationToken, Task<GridData<RefundRow>>> serverData;
    private MudDataGrid<RefundRow>? grid;
    private IReadOnlyList<RefundAdmin> admins = [];
    private string? notice;

    public Refunds() => serverData = LoadAsync;

    [Inject] private RefundQueries Queries { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<Refunds> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "status")] public string? StatusParam { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParam { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParam { get; set; }
    [SupplyParameterFromQuery(Name = "admin")] public string? Admin { get; set; }

    private RefundStatus? Status { get; set; }
    private DateTime? From { get; set; }
    private DateTime? To { get; set; }

    private string EmptyText => EmptyTextFor(Status, From, To, Admin);

    internal static string EmptyTextFor(RefundStatus? status, DateTime? from, DateTime? to, string? admin) =>
        status is null && from is null && to is null && string.IsNullOrWhiteSpace(admin)
        ? "No refunds yet. Refunds admins make on a payment page (or through the refunds API) are listed here, including those still waiting for the gateway's answer."
        : "No refunds match these filters.";

    protected override async Task OnInitializedAsync() => admins = await Queries.AdminsAsync();

    protected override void OnParametersSet()
    {
        var bad = new List<string>();
        Status = null;
        if (!string.IsNullOrEmpty(StatusParam))
        {
            if (Enum.TryParse<RefundStatus>(StatusParam, ignoreCase: true, out var s) && Enum.IsDefined(s)) Status = s;
            else bad.Add($"status={StatusParam}");
        }
        From = ParseDay(FromParam, "from", bad);
        To = ParseDay(ToParam, "to", bad);
        notice = bad.Count == 0 ? null : "Ignored invalid filter values in the address: " + string.Join(", ", bad) + ".";
    }

    private static DateTime? ParseDay(string? value, string name, List<string> bad)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (UrlDate.TryParse(value, out var day))
            return day.ToDateTime(TimeOnly.MinValue);
        bad.Add($"{name}={value}");
        return null;
    }

    /// <summary>The grid's <c>ServerData</c>: one page of refunds for the filters in the address.</summary>
    private async Task<GridData<RefundRow>> LoadAsync(GridState<RefundRow> state, CancellationToken cancellationToken)
    {
        try
        {
            var filter = new RefundFilter(Status, Day(From), Day(To), string.IsNullOrWhiteSpace(Admin) ? null : Admin);
            var (page, count) = await Queries.ListAsync(filter, state.Page * state.PageSize, state.PageSize, cancellationToken);
            return new GridData<RefundRow> { Items = page, TotalItems = count };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer load replaced this one; the grid shows that one's rows.
            return new GridData<RefundRow> { Items = [], TotalItems = 0 };
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Refunds list query failed");
            Snackbar.Add("Could not load refunds. The error was logged. Try again, or change the filters.", Severity.Error);
            return new GridData<RefundRow> { Items = [], TotalItems = 0 };
        }
    }

    private string AdminName(string? userId) =>
        userId is null ? "" : admins.FirstOrDefault(a => a.UserId == userId)?.Name ?? userId;

    private static DateOnly? Day(DateTime? value) => value is { } v ? DateOnly.FromDateTime(v) : null;

    private async Task ApplyAsync()
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["status"] = Status?.ToString(),
            ["from"] = Day(From)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = Day(To)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["admin"] = string.IsNullOrWhiteSpace(Admin) ? null : Admin,
        }), replace: true);
        if (grid is null) return;
        // New filters start at the first page.
        if (grid.CurrentPage != 0) grid.NavigateTo(Page.First);
        else await grid.ReloadServerData();
    }

    private static string FormatAmount(long minor, string code) =>
        Currency.TryParse(code, out var c) ? new Money(minor, c).Format(CultureInfo.CurrentCulture) : $"{minor} {code}";
}
