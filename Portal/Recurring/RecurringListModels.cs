using System.Globalization;
using Portal.Domain.Recurring;

namespace Portal.Recurring;

/// <summary>Filters of the <c>/recurring</c> list. Dates are UTC calendar dates of the next charge (inclusive).</summary>
/// <param name="Status">Active, Paused, NeedsAttention, PastDue, Cancelled or Completed; null = all.</param>
/// <param name="HasFailures">True: only schedules with at least one declined attempt; false: only without; null: all.</param>
/// <param name="Search">Schedule id, source payment id, or the start of the customer's email.</param>
public sealed record RecurringListFilter(
    RecurringScheduleStatus? Status = null,
    DateOnly? NextFrom = null,
    DateOnly? NextTo = null,
    bool? HasFailures = null,
    string? Search = null)
{
    public static RecurringListFilter None { get; } = new();
}

public enum RecurringSort
{
    NextCharge,
    Created,
    Amount,
    Status,
}

/// <summary>One page of the list: <paramref name="Page"/> is 0-based.</summary>
public sealed record RecurringListRequest(
    RecurringListFilter Filter,
    RecurringSort Sort = RecurringSort.NextCharge,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25)
{
    public const int MaxPageSize = 200;
}

/// <summary>One row of the list (and of the CSV export). The card is brand and last four only.</summary>
public sealed record RecurringListRow(
    string Id,
    RecurringScheduleStatus Status,
    string? StatusReason,
    long AmountMinor,
    string Currency,
    string Description,
    RecurringIntervalUnit IntervalUnit,
    int IntervalCount,
    int NextCycleNumber,
    DateTime? NextChargeAtUtc,
    string? CardBrand,
    string? CardLast4,
    string? CustomerEmail,
    string? CustomerName,
    int SucceededCycles,
    int FailedAttempts,
    DateTime? LastChargedAtUtc,
    DateTime? LastFailureAtUtc,
    bool HasOpenAttempt,
    string SourcePaymentId,
    DateTime CreatedAtUtc)
{
    public string Interval => RecurringCalendar.Describe(IntervalUnit, IntervalCount);

    public string MaskedCard => CardLast4 is null ? "card" : $"{CardBrand} •••• {CardLast4}".Trim();

    public Domain.Money.Money Amount => new(AmountMinor, Domain.Money.Currency.Parse(Currency));
}

/// <summary>
/// The list's filters, sort and page in the URL (<c>/recurring?status=PastDue&amp;from=2026-12-01&amp;to=2026-12-31&amp;failures=true&amp;q=…&amp;sort=Amount&amp;desc=true&amp;page=2&amp;size=50</c>),
/// shared by the page and <c>GET /recurring/export.csv</c>. Unknown or malformed values are ignored.
/// </summary>
public static class RecurringListUrl
{
    public static RecurringListRequest Parse(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        RecurringScheduleStatus? status = Enum.TryParse<RecurringScheduleStatus>(get("status"), ignoreCase: true, out var st) && Enum.IsDefined(st) ? st : null;
        var filter = new RecurringListFilter(status, Date(get("from")), Date(get("to")),
            bool.TryParse(get("failures"), out var f) ? f : null,
            string.IsNullOrWhiteSpace(get("q")) ? null : get("q")!.Trim());
        var sort = Enum.TryParse<RecurringSort>(get("sort"), ignoreCase: true, out var so) && Enum.IsDefined(so) ? so : RecurringSort.NextCharge;
        var desc = bool.TryParse(get("desc"), out var d) && d;
        var page = int.TryParse(get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Max(0, p) : 0;
        var size = int.TryParse(get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var z) ? Math.Clamp(z, 1, RecurringListRequest.MaxPageSize) : 25;
        return new RecurringListRequest(filter, sort, desc, page, size);
    }

    /// <summary>The query string (without '?') for a request; defaults are left out.</summary>
    public static string ToQueryString(RecurringListRequest r)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add(key + "=" + Uri.EscapeDataString(value));
        }
        Add("status", r.Filter.Status?.ToString());
        Add("from", r.Filter.NextFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", r.Filter.NextTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("failures", r.Filter.HasFailures is { } f ? (f ? "true" : "false") : null);
        Add("q", r.Filter.Search);
        if (r.Sort != RecurringSort.NextCharge) Add("sort", r.Sort.ToString());
        if (r.Descending) Add("desc", "true");
        if (r.Page > 0) Add("page", r.Page.ToString(CultureInfo.InvariantCulture));
        if (r.PageSize != 25) Add("size", r.PageSize.ToString(CultureInfo.InvariantCulture));
        return string.Join("&", parts);
    }

    private static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
