using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Payments;

/// <summary>
/// Reads a list page's query string. A bad value never throws: it is dropped and named in
/// <see cref="Ignored"/> so the page can say which part of a shared link it could not use.
/// Unknown keys are not errors (links may carry tracking parameters).
/// </summary>
public sealed class QueryStringReader
{
    public const int MaxSearchLength = 200;

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _ignored = [];

    public QueryStringReader(string? queryString)
    {
        foreach (var (key, values) in QueryHelpers.ParseQuery(queryString ?? ""))
        {
            var value = values.LastOrDefault();
            if (!string.IsNullOrWhiteSpace(value)) _values[key] = value.Trim();
        }
    }

    /// <summary>"key=value" of every value that was ignored, in reading order.</summary>
    public IReadOnlyList<string> Ignored => _ignored;

    public string? Raw(string key) => _values.GetValueOrDefault(key);

    public void Reject(string key) => Reject(key, Raw(key) ?? "");

    public void Reject(string key, string value) => _ignored.Add($"{key}={(value.Length > 40 ? value[..40] + "…" : value)}");

    public string? Text(string key, int maxLength)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (value.Length <= maxLength) return value;
        Reject(key);
        return null;
    }

    public DateOnly? Date(string key)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (UrlDate.TryParse(value, out var date)) return date;
        Reject(key);
        return null;
    }

    /// <summary>A non-negative amount in major units ("12.50"), invariant culture.</summary>
    public decimal? Amount(string key)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= 1_000_000_000_000m)
            return amount;
        Reject(key);
        return null;
    }

    public bool? Bool(string key)
    {
        var value = Raw(key);
        switch (value?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "1" or "yes": return true;
            case "false" or "0" or "no": return false;
            default:
                Reject(key);
                return null;
        }
    }

    public T? Enum<T>(string key) where T : struct, Enum
    {
        var value = Raw(key);
        if (value is null) return null;
        if (TryEnum<T>(value, out var parsed)) return parsed;
        Reject(key);
        return null;
    }

    /// <summary>A comma-separated list; each unknown item is named, the known ones are kept (without duplicates).</summary>
    public IReadOnlyList<T> Enums<T>(string key) where T : struct, Enum
    {
        var value = Raw(key);
        if (value is null) return [];
        var result = new List<T>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryEnum<T>(item, out var parsed)) { if (!result.Contains(parsed)) result.Add(parsed); }
            else Reject(key, item);
        }
        return result;
    }

    public int? Int(string key, int min, int max)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
        Reject(key);
        return null;
    }

    /// <summary>
    /// A list's sort, direction, page and page size (<c>sort</c>, <c>dir</c>, <c>page</c>,
    /// <c>size</c>): a missing direction is the sort's own default; a size not offered is ignored.
    /// </summary>
    public ListPaging<TSort> Paging<TSort>(TSort defaultSort, Func<TSort, bool> defaultDescending) where TSort : struct, Enum
    {
        var sort = Enum<TSort>("sort") ?? defaultSort;
        var dir = Raw("dir")?.ToLowerInvariant();
        if (dir is not (null or "asc" or "desc"))
        {
            Reject("dir");
            dir = null;
        }
        var size = Int("size", 1, 1000);
        if (size is { } s && !ListPaging.PageSizes.Contains(s))
        {
            Reject("size");
            size = null;
        }
        return new ListPaging<TSort>(sort, dir is null ? defaultDescending(sort) : dir == "desc", Int("page", 1, 1_000_000) ?? 1, size ?? ListPaging.DefaultSize);
    }

    private static bool TryEnum<T>(string value, out T parsed) where T : struct, Enum =>
        System.Enum.TryParse(value, ignoreCase: true, out parsed) && System.Enum.IsDefined(parsed) && !value.Any(char.IsDigit);
}

/// <summary>Writes a list page's query string in a fixed key order, leaving out defaults.</summary>
public sealed class QueryStringWriter
{
    private readonly List<string> _parts = [];

    public QueryStringWriter Add(string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) _parts.Add(key + "=" + Uri.EscapeDataString(value));
        return this;
    }

    public QueryStringWriter Add(string key, DateOnly? value) =>
        Add(key, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public QueryStringWriter Add(string key, decimal? value) => Add(key, value?.ToString(CultureInfo.InvariantCulture));

    public QueryStringWriter Add(string key, bool? value) => Add(key, value is null ? null : value.Value ? "true" : "false");

    public QueryStringWriter Add<T>(string key, IReadOnlyList<T> values) where T : struct, Enum =>
        Add(key, values.Count == 0 ? null : string.Join(",", values));

    /// <summary>The <see cref="QueryStringReader.Paging"/> keys, each left out when it is the default.</summary>
    public QueryStringWriter Add<TSort>(ListPaging<TSort> paging, TSort defaultSort, Func<TSort, bool> defaultDescending) where TSort : struct, Enum =>
        Add("sort", EqualityComparer<TSort>.Default.Equals(paging.Sort, defaultSort) ? null : paging.Sort.ToString().ToLowerInvariant())
            .Add("dir", paging.Descending == defaultDescending(paging.Sort) ? null : paging.Descending ? "desc" : "asc")
            .Add("page", paging.Page == 1 ? null : paging.Page.ToString(CultureInfo.InvariantCulture))
            .Add("size", paging.Size == ListPaging.DefaultSize ? null : paging.Size.ToString(CultureInfo.InvariantCulture));

    /// <summary>"a=1&amp;b=2" without the leading "?"; empty when everything is default.</summary>
    public override string ToString() => string.Join("&", _parts);
}

/// <summary>A list's sort, direction, page and page size, as its URL carries them.</summary>
public readonly record struct ListPaging<TSort>(TSort Sort, bool Descending, int Page, int Size) where TSort : struct, Enum;

public static class ListPaging
{
    /// <summary>The page sizes the lists offer.</summary>
    public static readonly IReadOnlyList<int> PageSizes = [10, 25, 50, 100];

    public const int DefaultSize = 25;
}
