using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Domain.Recurring;
using Portal.Payments;
using Portal.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>
/// The <c>/recurring</c> page's address. The state itself is read and written by
/// <see cref="RecurringListUrl"/> (the same format <c>GET /recurring/export.csv</c> reads, so the
/// export link is the page's own query); this adds what a person needs when a shared or
/// hand-edited link carries values that format ignores: which ones, so the page can say so
/// instead of silently showing a different list. It also keeps the page sizes to the ones the
/// grid offers and drops a date range that ends before it starts.
/// </summary>
public static class RecurringListAddress
{
    public const string Path = "/recurring";

    /// <summary>Page sizes the grid offers.</summary>
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public const int DefaultPageSize = 25;

    public sealed record Reading(RecurringListRequest Request, IReadOnlyList<string> Ignored)
    {
        public string? Notice => Ignored.Count == 0
            ? null
            : "Some values in this address were not understood and are ignored: " + string.Join(", ", Ignored) + ".";
    }

    public static Reading Read(string? queryString)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, v) in QueryHelpers.ParseQuery(queryString ?? ""))
            if (v.LastOrDefault() is { } last && !string.IsNullOrWhiteSpace(last)) values[key] = last.Trim();
        string? Get(string key) => values.GetValueOrDefault(key);

        var ignored = new List<string>();
        void Check(string key, Func<string, bool> valid)
        {
            if (Get(key) is { } value && !valid(value)) ignored.Add($"{key}={(value.Length > 40 ? value[..40] + "…" : value)}");
        }

        Check("status", v => IsName<RecurringScheduleStatus>(v));
        Check("from", v => UrlDate.TryParse(v, out _));
        Check("to", v => UrlDate.TryParse(v, out _));
        Check("failures", v => bool.TryParse(v, out _));
        Check("q", v => v.Length <= QueryStringReader.MaxSearchLength);
        Check("sort", v => IsName<RecurringSort>(v));
        Check("desc", v => bool.TryParse(v, out _));
        Check("page", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 1_000_000);
        Check("size", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s));

        // Anything named ignored is dropped before the shared reader sees it, so the two agree.
        var bad = ignored.Select(i => i[..i.IndexOf('=')]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var request = RecurringListUrl.Parse(k => bad.Contains(k) ? null : Get(k));
        if (request.Filter is { NextFrom: { } from, NextTo: { } to } && to < from)
        {
            ignored.Add($"to={to:yyyy-MM-dd} (before from)");
            request = request with { Filter = request.Filter with { NextTo = null } };
        }
        return new Reading(request, ignored);
    }

    /// <summary>The page's address for a state.</summary>
    public static string For(RecurringListRequest request)
    {
        var query = RecurringListUrl.ToQueryString(request);
        return query.Length == 0 ? Path : Path + "?" + query;
    }

    /// <summary>The CSV export of exactly the rows the list shows (every page).</summary>
    public static string ExportUrl(RecurringListRequest request)
    {
        var query = RecurringListUrl.ToQueryString(request with { Page = 0 });
        return "/recurring/export.csv" + (query.Length == 0 ? "" : "?" + query);
    }

    /// <summary>The list filtered to one status (the dashboard tile's links).</summary>
    public static string ForStatus(RecurringScheduleStatus status) =>
        For(new RecurringListRequest(new RecurringListFilter(Status: status)));

    // Names only: Enum.TryParse also takes "3", which would read as a status nobody wrote.
    private static bool IsName<T>(string value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !value.Any(char.IsDigit);
}
