using Microsoft.AspNetCore.Components;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using MudBlazor;
using Portal.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// The payments list (URL-held state, see <see cref="UrlListPage{TState, TFilter, TSort, TRow}"/>).
/// Rows, count and search all run in SQL through <see cref="PaymentListQueries"/>; a search that
/// finds nothing but could be a Voucherly payment id offers to import it.
/// </summary>
public sealed partial class PaymentsList
{
    private static readonly PaymentStatus[] AllStatuses = Enum.GetValues<PaymentStatus>();
    private static readonly PaymentMode[] AllModes = Enum.GetValues<PaymentMode>();
    private static readonly PaymentTenant[] AllTenants = Enum.GetValues<PaymentTenant>();
    private static readonly string[] CurrencyCodes = Currency.All.Select(c => c.Code).ToArray();
    private static readonly string[] InCallOptions = ["On a call", "Online"];

    [Inject] private PaymentListQueries Queries { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private string? InCallText => state.Filter.InCall switch { true => InCallOptions[0], false => InCallOptions[1], null => null };

    /// <summary>The search, when it found nothing and could be a Voucherly payment id: the empty state offers to look it up.</summary>
    private string? VoucherlyLookupQuery =>
        !loading && rows is { Count: 0 } && VoucherlyImportCommands.CouldBeVoucherlyId(state.Filter.Search) ? state.Filter.Search!.Trim() : null;

    private Task StatusesChangedAsync(IEnumerable<PaymentStatus>? statuses) => SetFilterAsync(f => f with { Statuses = (statuses ?? []).ToList() });

    protected override string ListPath => "/payments";

    protected override string ItemsName => "payments";

    protected override Task<ListPage<PaymentListRow>> QueryAsync(PaymentListState listState, TimeZoneInfo zone, bool includeCount,
        int? knownTotal, CancellationToken cancellationToken) =>
        Queries.ListAsync(listState, zone, includeCount, cancellationToken, knownTotal);

    protected override Task<IReadOnlyList<string>> GatewaysAsync(CancellationToken cancellationToken) => Queries.GatewaysAsync(cancellationToken);

    protected override PaymentSort SortFromColumn(string? property) => property switch
    {
        nameof(PaymentListRow.FinalAmount) => PaymentSort.Amount,
        nameof(PaymentListRow.Status) => PaymentSort.Status,
        nameof(PaymentListRow.Currency) => PaymentSort.Currency,
        nameof(PaymentListRow.CustomerName) => PaymentSort.Customer,
        nameof(PaymentListRow.ReferenceId) => PaymentSort.Reference,
        _ => PaymentSort.Created,
    };

    private async Task OpenImportAsync(string? voucherlyPaymentId)
    {
        var parameters = new DialogParameters<VoucherlyImportDialog>
        {
            { d => d.InitialId, voucherlyPaymentId },
            // The list behind shows the imported payment (and the new count) while the dialog stays open.
            { d => d.Imported, EventCallback.Factory.Create<VoucherlyImportResult>(this, () => ReloadAsync(recount: true)) },
        };
        var dialog = await Dialogs.ShowAsync<VoucherlyImportDialog>("Import from Voucherly", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = true, CloseButton = true });
        await dialog.Result;
    }

    internal static DateTime? ToDate(DateOnly? day) => day?.ToDateTime(TimeOnly.MinValue);

    internal static DateOnly? FromDate(DateTime? value) => value is { } d ? DateOnly.FromDateTime(d) : null;

    private void Open(PaymentListRow row) => Navigation.NavigateTo($"/payments/{Uri.EscapeDataString(row.Id)}");
}
