namespace Portal.Payments;

/// <summary>A list page's filters, as far as the page's shared code needs them: the one search box and the gateway choice.</summary>
public interface IListFilter<TFilter> where TFilter : IListFilter<TFilter>
{
    string? Search { get; }

    string? Gateway { get; }

    TFilter WithSearch(string? search);
}

/// <summary>
/// A list page's whole state (filters, sort, page), exactly what its URL carries: read with
/// <see cref="Parse"/>, written with <see cref="ToQueryString"/>. Shared by the payments and
/// transactions lists' page code.
/// </summary>
public interface IListState<TState, TFilter, TSort>
    where TState : IListState<TState, TFilter, TSort>
    where TFilter : IListFilter<TFilter>
    where TSort : struct, Enum
{
    static abstract TState Default { get; }

    /// <summary>Reads a query string; bad values are dropped and listed in <see cref="ParsedState{T}.Ignored"/>.</summary>
    static abstract ParsedState<TState> Parse(string? queryString);

    TFilter Filter { get; }

    TSort Sort { get; }

    bool Descending { get; }

    int Page { get; }

    int Size { get; }

    /// <summary>The filters alone, as a query string: equal keys count the same rows.</summary>
    string FilterKey { get; }

    string ToQueryString();

    /// <summary>Other filters, from the first page.</summary>
    TState WithFilter(TFilter filter);

    /// <summary>Another sort, from the first page.</summary>
    TState WithSort(TSort sort, bool descending);

    TState WithPage(int page);

    /// <summary>Another page size, from the first page.</summary>
    TState WithSize(int size);
}
