using Portal.Payments;

namespace Portal.Bench;

/// <summary>
/// One list-page query measured two ways: through <see cref="PaymentListQueries"/> and as
/// hand-written SQL of the same page (filter, order, offset) on the same file.
/// </summary>
/// <param name="Where">SQL condition on Payments (alias p), written by hand.</param>
/// <param name="OrderBy">SQL ORDER BY of the same order the service uses.</param>
public sealed record BenchCase(string Name, PaymentListState State, string Where, string OrderBy,
    IReadOnlyDictionary<string, object> Parameters);

/// <summary>Values picked from the generated data so searches hit real rows.</summary>
public sealed record BenchSamples(string Last4, string EmailPrefix, string ReferenceId, string PaymentId, string CustomerName,
    string Gateway, DateOnly LastDay);

internal static class BenchCases
{
    private static readonly Dictionary<string, object> None = [];

    public static IReadOnlyList<BenchCase> For(BenchSamples s, int deepPage)
    {
        var from = s.LastDay.AddDays(-6);
        var fromUtc = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var toUtc = s.LastDay.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        const string created = "p.CreatedAtUtc DESC, p.Id DESC";
        var list = new List<BenchCase>
        {
            new("default (newest first)", PaymentListState.Default, "1", created, None),
            new("filter status=Confirmed", Parse("status=Confirmed"), "p.Status = 'Confirmed'", created, None),
            new("filter status=Paid,Refunded", Parse("status=Paid,Refunded"), "p.Status IN ('Paid', 'Refunded')", created, None),
            new("filter last 7 days", Parse($"from={from:yyyy-MM-dd}&to={s.LastDay:yyyy-MM-dd}"),
                "p.CreatedAtUtc >= @from AND p.CreatedAtUtc < @to", created, new Dictionary<string, object> { ["@from"] = fromUtc, ["@to"] = toUtc }),
            new("filter amount 10-50 EUR", Parse("currency=EUR&min=10&max=50"),
                "p.Currency = 'EUR' AND p.FinalAmount >= 1000 AND p.FinalAmount <= 5000", created, None),
            new("filter amount 10-50 (each currency)", Parse("min=10&max=50"), AmountInEachCurrency(10, 50), created, None),
            new("filter currency=JPY", Parse("currency=JPY"), "p.Currency = 'JPY'", created, None),
            new("filter gateway", Parse("gateway=" + s.Gateway), "p.SelectedGatewayId = @gateway", created,
                new Dictionary<string, object> { ["@gateway"] = s.Gateway }),
            new("filter mode=Wallet", Parse("mode=Wallet"), "p.Mode = 'Wallet'", created, None),
            new("filter tenant=Sand", Parse("tenant=Sand"), "p.Tenant = 'Sand'", created, None),
            new("filter inCall=true", Parse("inCall=true"), "p.InCall = 1", created, None),
            new("filter flagged", Parse("flagged=true"), "p.TotalsMismatch = 1", created, None),
            new("sort created asc", Parse("dir=asc"), "1", "p.CreatedAtUtc, p.Id", None),
            new("sort amount desc", Parse("sort=amount"), "1", "p.FinalAmount DESC, p.Id DESC", None),
            new("sort status asc", Parse("sort=status"), "1", "p.Status, p.CreatedAtUtc, p.Id", None),
            new("sort currency asc", Parse("sort=currency"), "1", "p.Currency, p.CreatedAtUtc, p.Id", None),
            new("sort customer asc", Parse("sort=customer"), "1", "p.CustomerName, p.Id", None),
            new("sort reference asc", Parse("sort=reference"), "1", "p.ReferenceId, p.Id", None),
            new("search last4", Parse("q=" + s.Last4),
                "p.Id IN (SELECT t.PaymentId FROM PaymentTransactions t WHERE t.CardLast4 = @q)", created,
                new Dictionary<string, object> { ["@q"] = s.Last4 }),
            new("search email prefix", Parse("q=" + Uri.EscapeDataString(s.EmailPrefix)),
                "p.CustomerEmailNormalized >= @lo AND p.CustomerEmailNormalized < @hi", created,
                new Dictionary<string, object> { ["@lo"] = s.EmailPrefix, ["@hi"] = s.EmailPrefix + SearchShapes.PrefixEnd }),
            new("search reference", Parse("q=" + Uri.EscapeDataString(s.ReferenceId)),
                "(p.Id = @q OR p.ReferenceId = @q OR (p.CustomerName >= @q AND p.CustomerName < @qhi) OR (p.CustomerName >= @c AND p.CustomerName < @chi)"
                + " OR p.Id IN (SELECT t.PaymentId FROM PaymentTransactions t WHERE t.ExternalId1 = @q OR t.TrackingId = @q))", created,
                TextParameters(s.ReferenceId)),
            new("search payment id", Parse("q=" + s.PaymentId), "p.Id >= @lo AND p.Id < @hi", created,
                new Dictionary<string, object> { ["@lo"] = s.PaymentId, ["@hi"] = s.PaymentId + SearchShapes.PrefixEnd }),
            new("search customer name", Parse("q=" + Uri.EscapeDataString(s.CustomerName)),
                "(p.Id = @q OR p.ReferenceId = @q OR (p.CustomerName >= @q AND p.CustomerName < @qhi) OR (p.CustomerName >= @c AND p.CustomerName < @chi)"
                + " OR p.Id IN (SELECT t.PaymentId FROM PaymentTransactions t WHERE t.ExternalId1 = @q OR t.TrackingId = @q))", created,
                TextParameters(s.CustomerName)),
            new($"deep page {deepPage}", Parse("page=" + deepPage), "1", created, None),
            new($"deep page {deepPage}, sort amount", Parse("sort=amount&page=" + deepPage), "1", "p.FinalAmount DESC, p.Id DESC", None),
        };
        return list;
    }

    private static PaymentListState Parse(string query)
    {
        var parsed = PaymentListState.Parse(query);
        if (parsed.Ignored.Count > 0) throw new InvalidOperationException("Bench case has bad values: " + string.Join(", ", parsed.Ignored));
        return parsed.State;
    }

    private static Dictionary<string, object> TextParameters(string q)
    {
        var c = SearchShapes.Capitalized(q);
        return new Dictionary<string, object>
        {
            ["@q"] = q, ["@qhi"] = q + SearchShapes.PrefixEnd, ["@c"] = c, ["@chi"] = c + SearchShapes.PrefixEnd,
        };
    }

    private static string AmountInEachCurrency(decimal min, decimal max)
    {
        var parts = new List<string>();
        foreach (var (exponent, currencies) in AmountBounds.ExponentGroups)
            parts.Add($"(p.Currency IN ({string.Join(", ", currencies.Select(c => $"'{c.Code}'"))}) AND p.FinalAmount >= {AmountBounds.MinMinor(min, exponent)} AND p.FinalAmount <= {AmountBounds.MaxMinor(max, exponent)})");
        return "(" + string.Join(" OR ", parts) + ")";
    }
}
