using Microsoft.AspNetCore.Components;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;

namespace Portal.Components.Pages.Transactions;

/// <summary>
/// The transactions list: every gateway attempt, with the same URL-held state and server-side
/// paging, sorting and filtering as the payments list (<see cref="TransactionListQueries"/>).
/// </summary>
public sealed partial class TransactionsList
{
    private static readonly TransactionStatus[] AllStatuses = Enum.GetValues<TransactionStatus>();
    private static readonly string[] CurrencyCodes = Currency.All.Select(c => c.Code).ToArray();

    private static readonly string[] FlaggedOptions = ["Flagged for a person", "Not flagged"];

    private string? FlaggedText => state.Filter.Flagged switch { true => FlaggedOptions[0], false => FlaggedOptions[1], null => null };

    [Inject] private TransactionListQueries Queries { get; set; } = default!;

    private Task StatusesChangedAsync(IEnumerable<TransactionStatus>? statuses) => SetFilterAsync(f => f with { Statuses = (statuses ?? []).ToList() });

    protected override string ListPath => "/transactions";

    protected override string ItemsName => "transactions";

    protected override Task<ListPage<TransactionListRow>> QueryAsync(TransactionListState listState, TimeZoneInfo zone, bool includeCount,
        int? knownTotal, CancellationToken cancellationToken) =>
        Queries.ListAsync(listState, zone, includeCount, cancellationToken);

    protected override Task<IReadOnlyList<string>> GatewaysAsync(CancellationToken cancellationToken) => Queries.GatewaysAsync(cancellationToken);

    protected override TransactionSort SortFromColumn(string? property) => property switch
    {
        nameof(TransactionListRow.RequestedAmount) => TransactionSort.Amount,
        nameof(TransactionListRow.Status) => TransactionSort.Status,
        nameof(TransactionListRow.GatewayId) => TransactionSort.Gateway,
        _ => TransactionSort.Created,
    };

    private void Open(TransactionListRow row) => Navigation.NavigateTo($"/payments/{Uri.EscapeDataString(row.PaymentId)}");
}
