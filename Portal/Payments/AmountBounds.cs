using System.Linq.Expressions;
using Portal.Domain.Money;

namespace Portal.Payments;

/// <summary>
/// Turns an amount range typed in major units into minor-unit bounds for one currency:
/// the lower bound rounds up and the upper bound rounds down, so "≥ 10.5" on JPY (no decimals)
/// means ≥ 11 and a bound with more decimals than the currency is still exact.
/// <para>
/// With a currency chosen, the range applies in that currency. Without one, each payment is
/// compared in its own currency: "min 10" means 10 EUR (1000 minor units) for a EUR payment,
/// 10 JPY (10) for a JPY payment and 10 BHD (10000) for a BHD payment. Amounts in different
/// currencies are never converted into each other.
/// </para>
/// </summary>
public static class AmountBounds
{
    public static long? MinMinor(decimal? min, int exponent) => min is { } value ? Scale(value, exponent, ceiling: true) : null;

    public static long? MaxMinor(decimal? max, int exponent) => max is { } value ? Scale(value, exponent, ceiling: false) : null;

    /// <summary>The exponents the currency table uses, with their currencies; the most common exponent first.</summary>
    public static IReadOnlyList<(int Exponent, IReadOnlyList<Currency> Currencies)> ExponentGroups { get; } = Currency.All
        .GroupBy(c => c.Exponent)
        .OrderByDescending(g => g.Count())
        .Select(g => (g.Key, (IReadOnlyList<Currency>)g.ToList()))
        .ToList();

    private static long Scale(decimal value, int exponent, bool ceiling)
    {
        var scaled = value;
        for (var i = 0; i < exponent; i++) scaled *= 10;
        scaled = ceiling ? decimal.Ceiling(scaled) : decimal.Floor(scaled);
        return scaled >= long.MaxValue ? long.MaxValue : (long)scaled;
    }
}

/// <summary>A date range picked in the viewer's time zone, as UTC instants for the query.</summary>
public static class LocalDateRange
{
    /// <summary>Start of <paramref name="from"/> and start of the day after <paramref name="to"/> (exclusive), in UTC.</summary>
    public static (DateTime? FromUtc, DateTime? ToUtcExclusive) ToUtc(DateOnly? from, DateOnly? to, TimeZoneInfo zone) =>
        (from is { } f ? StartOfDayUtc(f, zone) : null, to is { } t ? StartOfDayUtc(t.AddDays(1), zone) : null);

    private static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A day that starts inside a DST gap begins at the first valid minute.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The zone named by an IANA/Windows id, or UTC when it is unknown.</summary>
    public static TimeZoneInfo Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>The amount-range predicate of a list, built per currency exponent (see <see cref="AmountBounds"/>).</summary>
internal static class AmountFilter
{
    /// <summary>
    /// The range for the currencies of one exponent group only. The groups are disjoint, so the
    /// counts per group add up to the count of the whole range, and each is a range scan of the
    /// (Currency, amount) index instead of a union of row ids.
    /// </summary>
    public static Expression<Func<T, bool>> GroupPredicate<T>(string amountProperty, string currencyProperty, int group, decimal? min, decimal? max)
    {
        var (exponent, currencies) = AmountBounds.ExponentGroups[group];
        var row = Expression.Parameter(typeof(T), "row");
        var amount = Expression.Property(row, amountProperty);
        var currencyColumn = Expression.Property(row, currencyProperty);
        Expression body = currencies
            .Select(c => (Expression)Expression.Equal(currencyColumn, Expression.Constant(c, typeof(Currency))))
            .Aggregate(Expression.OrElse);
        if (AmountBounds.MinMinor(min, exponent) is { } lo) body = Expression.AndAlso(body, Expression.GreaterThanOrEqual(amount, Expression.Constant(lo)));
        if (AmountBounds.MaxMinor(max, exponent) is { } hi) body = Expression.AndAlso(body, Expression.LessThanOrEqual(amount, Expression.Constant(hi)));
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    /// <param name="seek">
    /// True: the amount can be sought in an index (best when few rows match). False: the amount
    /// is compared as <c>amount + 0</c>, which no index answers, so the database walks the list's
    /// order index and stops after one page (best when many rows match).
    /// </param>
    public static Expression<Func<T, bool>> Predicate<T>(string amountProperty, string currencyProperty,
        Currency? currency, decimal? min, decimal? max, bool seek = true)
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression amount = Expression.Property(row, amountProperty);
        if (!seek) amount = Expression.Add(amount, Expression.Constant(0L));
        var currencyColumn = Expression.Property(row, currencyProperty);

        Expression Range(int exponent)
        {
            Expression body = Expression.Constant(true);
            if (AmountBounds.MinMinor(min, exponent) is { } lo)
                body = Expression.AndAlso(body, Expression.GreaterThanOrEqual(amount, Expression.Constant(lo)));
            if (AmountBounds.MaxMinor(max, exponent) is { } hi)
                body = Expression.AndAlso(body, Expression.LessThanOrEqual(amount, Expression.Constant(hi)));
            return body;
        }

        Expression InAny(IEnumerable<Currency> currencies) => currencies
            .Select(c => (Expression)Expression.Equal(currencyColumn,
                Expression.Constant(c, typeof(Currency))))
            .Aggregate(Expression.OrElse);

        if (currency is not null) return Expression.Lambda<Func<T, bool>>(Range(currency.Exponent), row);

        var groups = AmountBounds.ExponentGroups;
        if (!seek)
        {
            // "amount + 0 >= CASE WHEN currency IN (…) THEN bound … END": the bound in each row's
            // own currency, in one term no index answers (an OR of indexable terms would be unioned).
            Expression BoundFor(Func<int, long?> bound)
            {
                Expression result = Expression.Constant(bound(groups[0].Exponent)!.Value);
                foreach (var (exponent, currencies) in groups.Skip(1))
                    result = Expression.Condition(InAny(currencies), Expression.Constant(bound(exponent)!.Value), result);
                return result;
            }
            Expression body = Expression.Constant(true);
            if (min is not null) body = Expression.AndAlso(body, Expression.GreaterThanOrEqual(amount, BoundFor(e => AmountBounds.MinMinor(min, e))));
            if (max is not null) body = Expression.AndAlso(body, Expression.LessThanOrEqual(amount, BoundFor(e => AmountBounds.MaxMinor(max, e))));
            return Expression.Lambda<Func<T, bool>>(body, row);
        }

        // One term per exponent, each "currency IN (…) AND amount in range", so SQLite answers
        // every term from the (Currency, amount) index and unions them.
        var result = groups.Select(g => (Expression)Expression.AndAlso(InAny(g.Currencies), Range(g.Exponent))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<T, bool>>(result, row);
    }
}
