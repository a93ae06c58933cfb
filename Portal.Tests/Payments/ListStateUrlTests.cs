using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;

namespace Portal.Tests.Payments;

public sealed class ListStateUrlTests
{
    [Fact]
    public void PaymentListState_FullState_RoundTripsThroughTheQueryString()
    {
        var state = new PaymentListState(new PaymentListFilter
        {
            Search = "anna rossi & co",
            Statuses = [PaymentStatus.Paid, PaymentStatus.Confirmed],
            From = new DateOnly(2026, 11, 1),
            To = new DateOnly(2026, 11, 22),
            Currency = Currency.BHD,
            Gateway = "ecomcharge",
            Mode = PaymentMode.Wallet,
            Tenant = PaymentTenant.Sand,
            InCall = false,
            FlaggedOnly = true,
            Min = 1.5m,
            Max = 12.345m,
        }, PaymentSort.Customer, Descending: true, Page: 7, Size: 50);

        var query = state.ToQueryString();
        var parsed = PaymentListState.Parse("?" + query);

        Assert.Empty(parsed.Ignored);
        Assert.Equal(state, parsed.State);
        Assert.Equal(query, parsed.State.ToQueryString());
        Assert.Contains("status=Paid,Confirmed", Uri.UnescapeDataString(query));
        Assert.Contains("from=2026-11-01", query);
        Assert.Contains("q=anna%20rossi%20%26%20co", query);
    }

    [Fact]
    public void PaymentListState_Default_IsAnEmptyQueryString()
    {
        Assert.Equal("", PaymentListState.Default.ToQueryString());
        var parsed = PaymentListState.Parse("");
        Assert.Equal(PaymentListState.Default, parsed.State);
        Assert.Null(parsed.Notice);
    }

    [Theory]
    [InlineData("?to=9999-12-31")]
    [InlineData("?from=0001-01-01")]
    [InlineData("?from=1969-12-31&to=3000-01-01")]
    public void ListStates_DatesAtTheEndsOfTheCalendar_AreIgnoredWithANotice(string query)
    {
        var payments = PaymentListState.Parse(query);
        var transactions = TransactionListState.Parse(query);

        Assert.Null(payments.State.Filter.From);
        Assert.Null(payments.State.Filter.To);
        Assert.NotNull(payments.Notice);
        Assert.Null(transactions.State.Filter.From);
        Assert.Null(transactions.State.Filter.To);
        Assert.NotNull(transactions.Notice);
    }

    [Fact]
    public void UrlDate_TakesDaysFrom1970To2999Only()
    {
        Assert.True(UrlDate.TryParse("1970-01-01", out _));
        Assert.True(UrlDate.TryParse(" 2999-12-31 ", out var last));
        Assert.Equal(new DateOnly(2999, 12, 31), last);
        Assert.False(UrlDate.TryParse("1969-12-31", out _));
        Assert.False(UrlDate.TryParse("3000-01-01", out _));
        Assert.False(UrlDate.TryParse("9999-12-31", out _));
        Assert.False(UrlDate.TryParse("2026-02-30", out _));
        Assert.False(UrlDate.TryParse(null, out _));
        // The last day still turns into instants in the zones furthest from UTC.
        foreach (var zone in new[] { "Pacific/Kiritimati", "Etc/GMT+12", "UTC" })
            Assert.NotNull(LocalDateRange.ToUtc(UrlDate.Earliest, UrlDate.Latest, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToUtcExclusive);
    }

    [Fact]
    public void PaymentListState_DashboardLinkNames_AreRead()
    {
        var parsed = PaymentListState.Parse(
            "?q=4242&status=paid,confirmed&from=2026-11-01&to=2026-11-02&currency=eur&gateway=vcc&mode=Payment&tenant=live" +
            "&inCall=true&flagged=true&min=10&max=20&sort=amount&dir=asc&page=3&size=10");
        var s = parsed.State;
        Assert.Empty(parsed.Ignored);
        Assert.Equal("4242", s.Filter.Search);
        Assert.Equal([PaymentStatus.Paid, PaymentStatus.Confirmed], s.Filter.Statuses);
        Assert.Equal(new DateOnly(2026, 11, 1), s.Filter.From);
        Assert.Equal(new DateOnly(2026, 11, 2), s.Filter.To);
        Assert.Equal(Currency.EUR, s.Filter.Currency);
        Assert.Equal("vcc", s.Filter.Gateway);
        Assert.Equal(PaymentMode.Payment, s.Filter.Mode);
        Assert.Equal(PaymentTenant.Live, s.Filter.Tenant);
        Assert.True(s.Filter.InCall);
        Assert.True(s.Filter.FlaggedOnly);
        Assert.Equal((10m, 20m), (s.Filter.Min!.Value, s.Filter.Max!.Value));
        Assert.Equal((PaymentSort.Amount, false, 3, 10), (s.Sort, s.Descending, s.Page, s.Size));
    }

    [Fact]
    public void PaymentListState_BadValues_AreIgnoredAndNamed()
    {
        var parsed = PaymentListState.Parse(
            "?status=Paid,Lost,7&from=2026-13-01&to=yesterday&currency=XXX&mode=Cash&tenant=moon&inCall=maybe&flagged=2" +
            "&min=-5&max=ten&sort=colour&dir=sideways&page=0&size=33&q=" + new string('x', 201) + "&utm_source=mail");
        var s = parsed.State;

        Assert.Equal([PaymentStatus.Paid], s.Filter.Statuses);
        Assert.Null(s.Filter.From);
        Assert.Null(s.Filter.To);
        Assert.Null(s.Filter.Currency);
        Assert.Null(s.Filter.Mode);
        Assert.Null(s.Filter.Tenant);
        Assert.Null(s.Filter.InCall);
        Assert.False(s.Filter.FlaggedOnly);
        Assert.Null(s.Filter.Min);
        Assert.Null(s.Filter.Max);
        Assert.Null(s.Filter.Search);
        Assert.Equal((PaymentSort.Created, true, 1, 25), (s.Sort, s.Descending, s.Page, s.Size));
        foreach (var name in new[] { "status=Lost", "status=7", "from=2026-13-01", "to=yesterday", "currency=XXX", "mode=Cash", "tenant=moon",
                     "inCall=maybe", "flagged=2", "min=-5", "max=ten", "sort=colour", "dir=sideways", "page=0", "size=33", "q=xxxx" })
            Assert.Contains(parsed.Ignored, i => i.StartsWith(name, StringComparison.Ordinal));
        Assert.DoesNotContain(parsed.Ignored, i => i.StartsWith("utm_source", StringComparison.Ordinal));
        Assert.Contains("currency=XXX", parsed.Notice);
    }

    [Fact]
    public void PaymentListState_ReversedRanges_DropTheUpperBound()
    {
        var parsed = PaymentListState.Parse("?from=2026-11-10&to=2026-11-01&min=50&max=5");
        Assert.Equal(new DateOnly(2026, 11, 10), parsed.State.Filter.From);
        Assert.Null(parsed.State.Filter.To);
        Assert.Equal(50m, parsed.State.Filter.Min);
        Assert.Null(parsed.State.Filter.Max);
        Assert.Equal(["to=2026-11-01", "max=5"], parsed.Ignored);
    }

    [Fact]
    public void PaymentListState_FilterKey_IgnoresSortAndPage()
    {
        var a = PaymentListState.Parse("?currency=EUR&page=3&sort=amount").State;
        var b = PaymentListState.Parse("?currency=EUR").State;
        Assert.Equal(a.FilterKey, b.FilterKey);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void TransactionListState_FullState_RoundTripsAndNamesBadValues()
    {
        var state = new TransactionListState(new TransactionListFilter
        {
            Search = "1881",
            Statuses = [TransactionStatus.Failed, TransactionStatus.NextAction],
            From = new DateOnly(2026, 1, 1),
            To = new DateOnly(2026, 2, 1),
            Currency = Currency.JPY,
            Gateway = "vcc",
            Min = 100m,
            Max = 200m,
        }, TransactionSort.Gateway, Descending: false, Page: 2, Size: 100);
        var parsed = TransactionListState.Parse(state.ToQueryString());
        Assert.Empty(parsed.Ignored);
        Assert.Equal(state, parsed.State);

        var bad = TransactionListState.Parse("status=Bogus&currency=zz&sort=x");
        Assert.Equal(["currency=zz", "sort=x", "status=Bogus"], bad.Ignored.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("pay_01ABC", SearchShape.PaymentId)]
    [InlineData("TXN_01abc", SearchShape.TransactionId)]
    [InlineData("4242", SearchShape.CardLast4)]
    [InlineData(" 4242 ", SearchShape.CardLast4)]
    [InlineData("42424", SearchShape.Text)]
    [InlineData("anna@", SearchShape.Email)]
    [InlineData("6f1c2b7e-3d4a-4b8e-9a51-0c2d3e4f5a6b", SearchShape.Uuid)]
    [InlineData("ORD-1001", SearchShape.Text)]
    [InlineData("", SearchShape.None)]
    public void SearchShapes_Classify_ChoosesByShape(string input, SearchShape expected)
    {
        Assert.Equal(expected, SearchShapes.Classify(input));
    }

    [Theory]
    [InlineData(10.5, 0, 11, 10)]
    [InlineData(12.345, 3, 12345, 12345)]
    [InlineData(12.3456, 3, 12346, 12345)]
    [InlineData(0.01, 2, 1, 1)]
    public void AmountBounds_MinRoundsUpMaxRoundsDown(double value, int exponent, long min, long max)
    {
        Assert.Equal(min, AmountBounds.MinMinor((decimal)value, exponent));
        Assert.Equal(max, AmountBounds.MaxMinor((decimal)value, exponent));
    }
}
