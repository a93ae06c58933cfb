using System.Globalization;
using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Payments;

/// <summary>Filters of the transactions list (every gateway attempt across payments).</summary>
public sealed record TransactionListFilter : IListFilter<TransactionListFilter>
{
    private static readonly IReadOnlyList<TransactionStatus> NoStatuses = [];
    private static readonly TransactionListFilter Unfiltered = new() { Statuses = NoStatuses };

    /// <summary>Nothing but statuses (or nothing at all) narrows the list: its total is a sum of the maintained status counts.</summary>
    internal bool OnlyStatuses => this with { Statuses = NoStatuses, Search = string.IsNullOrWhiteSpace(Search) ? null : Search } == Unfiltered;

    /// <summary>Transaction id, gateway (external) ids, card last 4, tracking id or payment id; see <see cref="SearchShapes"/>.</summary>
    public string? Search { get; init; }

    public TransactionListFilter WithSearch(string? search) => this with { Search = search };

    public IReadOnlyList<TransactionStatus> Statuses { get; init; } = [];

    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public Currency? Currency { get; init; }

    public string? Gateway { get; init; }

    /// <summary>Requested amount bounds in major units (same rules as payments: <see cref="AmountBounds"/>).</summary>
    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>True: only attempts the status poller flagged for a person; false: none of them; null: any.</summary>
    public bool? Flagged { get; init; }
}

public enum TransactionSort
{
    Created,
    Amount,
    Status,
    Gateway,
}

/// <summary>The transactions list's state; the same query-string names as the payments list where they overlap.</summary>
public sealed record TransactionListState(TransactionListFilter Filter, TransactionSort Sort = TransactionSort.Created, bool Descending = true,
    int Page = 1, int Size = 25) : IListState<TransactionListState, TransactionListFilter, TransactionSort>
{
    public static TransactionListState Default { get; } = new(new TransactionListFilter());

    public int Skip => (Page - 1) * Size;

    public TransactionListState WithFilter(TransactionListFilter filter) => this with { Filter = filter, Page = 1 };

    public TransactionListState WithSort(TransactionSort sort, bool descending) => this with { Sort = sort, Descending = descending, Page = 1 };

    public TransactionListState WithPage(int page) => this with { Page = page };

    public TransactionListState WithSize(int size) => this with { Size = size, Page = 1 };

    public static ParsedState<TransactionListState> Parse(string? queryString)
    {
        var r = new QueryStringReader(queryString);
        Currency? currency = null;
        if (r.Raw("currency") is { } code && !Currency.TryParse(code, out currency)) r.Reject("currency");
        var filter = new TransactionListFilter
        {
            Search = r.Text("q", QueryStringReader.MaxSearchLength),
            Statuses = r.Enums<TransactionStatus>("status"),
            From = r.Date("from"),
            To = r.Date("to"),
            Currency = currency,
            Gateway = r.Text("gateway", 100),
            Min = r.Amount("min"),
            Max = r.Amount("max"),
            Flagged = r.Bool("flagged"),
        };
        if (filter is { From: { } from, To: { } to } && to < from)
        {
            r.Reject("to");
            filter = filter with { To = null };
        }
        if (filter is { Min: { } min, Max: { } max } && max < min)
        {
            r.Reject("max");
            filter = filter with { Max = null };
        }
        var paging = r.Paging(TransactionSort.Created, DefaultDescending);
        return new ParsedState<TransactionListState>(new TransactionListState(filter, paging.Sort, paging.Descending, paging.Page, paging.Size), r.Ignored);
    }

    public static bool DefaultDescending(TransactionSort sort) => sort is TransactionSort.Created or TransactionSort.Amount;

    public string ToQueryString() => FilterWriter(Filter).Add(new ListPaging<TransactionSort>(Sort, Descending, Page, Size), TransactionSort.Created, DefaultDescending).ToString();

    public string FilterKey => FilterWriter(Filter).ToString();

    public bool Equals(TransactionListState? other) => other is not null && ToQueryString() == other.ToQueryString();

    public override int GetHashCode() => ToQueryString().GetHashCode(StringComparison.Ordinal);

    private static QueryStringWriter FilterWriter(TransactionListFilter f) => new QueryStringWriter()
        .Add("q", f.Search)
        .Add("status", f.Statuses)
        .Add("from", f.From)
        .Add("to", f.To)
        .Add("currency", f.Currency?.Code)
        .Add("gateway", f.Gateway)
        .Add("min", f.Min)
        .Add("max", f.Max)
        .Add("flagged", f.Flagged);
}
