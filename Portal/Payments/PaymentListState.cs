using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Payments;

/// <summary>What the payments list shows: filters, sort and page, exactly what the URL carries.</summary>
public sealed record PaymentListFilter : IListFilter<PaymentListFilter>
{
    private static readonly IReadOnlyList<PaymentStatus> NoStatuses = [];
    private static readonly PaymentListFilter Unfiltered = new() { Statuses = NoStatuses };

    /// <summary>Nothing but statuses (or nothing at all) narrows the list: its total is a sum of the maintained status counts.</summary>
    internal bool OnlyStatuses => this with { Statuses = NoStatuses, Search = string.IsNullOrWhiteSpace(Search) ? null : Search } == Unfiltered;

    /// <summary>The one search box; what it matches depends on its shape (<see cref="SearchShapes"/>).</summary>
    public string? Search { get; init; }

    public PaymentListFilter WithSearch(string? search) => this with { Search = search };

    public IReadOnlyList<PaymentStatus> Statuses { get; init; } = [];

    /// <summary>First day (inclusive) in the viewer's time zone.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day (inclusive) in the viewer's time zone.</summary>
    public DateOnly? To { get; init; }

    public Currency? Currency { get; init; }

    /// <summary>The payment's selected gateway id.</summary>
    public string? Gateway { get; init; }

    public PaymentMode? Mode { get; init; }

    public PaymentTenant? Tenant { get; init; }

    public bool? InCall { get; init; }

    /// <summary>Only payments whose gateway-reported totals disagree with the recomputed ones.</summary>
    public bool FlaggedOnly { get; init; }

    /// <summary>Final amount bounds in major units; see <see cref="AmountBounds"/> for how they meet minor units.</summary>
    public decimal? Min { get; init; }

    public decimal? Max { get; init; }
}

public enum PaymentSort
{
    Created,
    Amount,
    Status,
    Currency,
    Customer,
    Reference,
}

/// <summary>
/// The payments list's whole state. The query-string names are a contract (the dashboard links
/// to them): <c>q</c>, <c>status</c> (comma-separated), <c>from</c>, <c>to</c> (yyyy-MM-dd),
/// <c>currency</c>, <c>gateway</c>, <c>mode</c>, <c>tenant</c>, <c>inCall</c>, <c>flagged</c>,
/// <c>min</c>, <c>max</c>, <c>sort</c>, <c>dir</c>, <c>page</c>, <c>size</c>.
/// </summary>
public sealed record PaymentListState(PaymentListFilter Filter, PaymentSort Sort = PaymentSort.Created, bool Descending = true,
    int Page = 1, int Size = 25) : IListState<PaymentListState, PaymentListFilter, PaymentSort>
{
    public static PaymentListState Default { get; } = new(new PaymentListFilter());

    public int Skip => (Page - 1) * Size;

    public PaymentListState WithFilter(PaymentListFilter filter) => this with { Filter = filter, Page = 1 };

    public PaymentListState WithSort(PaymentSort sort, bool descending) => this with { Sort = sort, Descending = descending, Page = 1 };

    public PaymentListState WithPage(int page) => this with { Page = page };

    public PaymentListState WithSize(int size) => this with { Size = size, Page = 1 };

    /// <summary>Reads a query string ("?q=…" or "q=…"); bad values are dropped and listed in <see cref="ParsedState{T}.Ignored"/>.</summary>
    public static ParsedState<PaymentListState> Parse(string? queryString)
    {
        var r = new QueryStringReader(queryString);
        Currency? currency = null;
        if (r.Raw("currency") is { } code && !Currency.TryParse(code, out currency)) r.Reject("currency");
        var filter = new PaymentListFilter
        {
            Search = r.Text("q", QueryStringReader.MaxSearchLength),
            Statuses = r.Enums<PaymentStatus>("status"),
            From = r.Date("from"),
            To = r.Date("to"),
            Currency = currency,
            Gateway = r.Text("gateway", 100),
            Mode = r.Enum<PaymentMode>("mode"),
            Tenant = r.Enum<PaymentTenant>("tenant"),
            InCall = r.Bool("inCall"),
            FlaggedOnly = r.Bool("flagged") ?? false,
            Min = r.Amount("min"),
            Max = r.Amount("max"),
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
        var paging = r.Paging(PaymentSort.Created, DefaultDescending);
        return new ParsedState<PaymentListState>(new PaymentListState(filter, paging.Sort, paging.Descending, paging.Page, paging.Size), r.Ignored);
    }

    /// <summary>The query string without "?" (empty for the default view); <see cref="Parse"/> reads it back to an equal state.</summary>
    public string ToQueryString() => FilterWriter(Filter).Add(new ListPaging<PaymentSort>(Sort, Descending, Page, Size), PaymentSort.Created, DefaultDescending).ToString();

    /// <summary>Identifies the filtered set (not its order or page): the count only changes when this does.</summary>
    public string FilterKey => FilterWriter(Filter).ToString();

    public static bool DefaultDescending(PaymentSort sort) => sort is PaymentSort.Created or PaymentSort.Amount;

    public bool Equals(PaymentListState? other) => other is not null && ToQueryString() == other.ToQueryString();

    public override int GetHashCode() => ToQueryString().GetHashCode(StringComparison.Ordinal);

    private static QueryStringWriter FilterWriter(PaymentListFilter f) => new QueryStringWriter()
        .Add("q", f.Search)
        .Add("status", f.Statuses)
        .Add("from", f.From)
        .Add("to", f.To)
        .Add("currency", f.Currency?.Code)
        .Add("gateway", f.Gateway)
        .Add("mode", f.Mode?.ToString())
        .Add("tenant", f.Tenant?.ToString())
        .Add("inCall", f.InCall)
        .Add("flagged", f.FlaggedOnly ? true : null)
        .Add("min", f.Min)
        .Add("max", f.Max);
}

/// <summary>A list state read from a URL, with the "key=value" pieces that were ignored.</summary>
public sealed record ParsedState<T>(T State, IReadOnlyList<string> Ignored)
{
    public string? Notice => Ignored.Count == 0 ? null
        : "Some values in the address were not understood and are ignored: " + string.Join(", ", Ignored) + ".";
}
