using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

public sealed class PaymentListQueriesTests : IAsyncLifetime
{
    private TestDatabase _db = default!;
    private PaymentListQueries _queries = default!;

    public async Task InitializeAsync()
    {
        _db = await ListTestData.SeedAsync();
        _queries = new PaymentListQueries(_db);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<string>> Ids(PaymentListFilter filter, PaymentSort sort = PaymentSort.Created, bool descending = true,
        TimeZoneInfo? zone = null)
    {
        var page = await _queries.ListAsync(new PaymentListState(filter, sort, descending, 1, 100), zone ?? TimeZoneInfo.Utc, includeCount: true);
        Assert.Equal(page.Rows.Count, page.Total);
        return page.Rows.Select(r => r.Id).ToList();
    }

    private static List<string> Expected(Func<Payment, bool> predicate) =>
        ListTestData.All().Where(predicate).OrderByDescending(p => p.CreatedAtUtc).Select(p => p.Id).ToList();

    [Fact]
    public async Task List_NoFilter_ReturnsAllNewestFirst()
    {
        Assert.Equal(Expected(_ => true), await Ids(new PaymentListFilter()));
    }

    [Fact]
    public async Task Filter_SeveralStatuses_ReturnsOnlyThoseStatuses()
    {
        var statuses = new[] { PaymentStatus.Confirmed, PaymentStatus.Paid };
        var ids = await Ids(new PaymentListFilter { Statuses = statuses });
        Assert.Equal(Expected(p => statuses.Contains(p.Status)), ids);
        Assert.Equal(2, ids.Count);
    }

    [Fact]
    public async Task Filter_OneStatus_ReturnsOnlyThatStatus()
    {
        Assert.Equal(Expected(p => p.Status == PaymentStatus.Requested), await Ids(new PaymentListFilter { Statuses = [PaymentStatus.Requested] }));
    }

    [Fact]
    public async Task Filter_DateRange_IsInclusiveDaysInTheViewersZone()
    {
        var day = DateOnly.FromDateTime(ListTestData.Day);
        Assert.Equal([ListTestData.Bob().Id, ListTestData.Carla().Id],
            await Ids(new PaymentListFilter { From = day.AddDays(-2), To = day.AddDays(-1) }));

        // Anna at 12:00 UTC on the 20th is already 01:00 on the 21st at UTC+13.
        var late = TimeZoneInfo.CreateCustomTimeZone("UTC+13", TimeSpan.FromHours(13), "UTC+13", "UTC+13");
        Assert.Equal([ListTestData.Anna().Id], await Ids(new PaymentListFilter { From = day.AddDays(1), To = day.AddDays(1) }, zone: late));
        Assert.Empty(await Ids(new PaymentListFilter { From = day.AddDays(1) }));
    }

    [Fact]
    public async Task Filter_AmountWithCurrency_ConvertsWithTheCurrencysExponent()
    {
        // BHD has three decimals: 12.345 BHD is 12345 minor units.
        Assert.Equal([ListTestData.Carla().Id], await Ids(new PaymentListFilter { Currency = Currency.BHD, Min = 12.345m, Max = 12.345m }));
        Assert.Empty(await Ids(new PaymentListFilter { Currency = Currency.BHD, Min = 12.346m }));
        // JPY has none: 1500 yen is 1500 minor units, and 1499.5 rounds up to 1500 as a lower bound.
        Assert.Equal([ListTestData.Bob().Id], await Ids(new PaymentListFilter { Currency = Currency.JPY, Min = 1499.5m, Max = 1500m }));
        Assert.Equal([ListTestData.Anna().Id], await Ids(new PaymentListFilter { Currency = Currency.EUR, Min = 20m, Max = 30m }));
    }

    [Fact]
    public async Task Filter_AmountWithoutCurrency_ComparesEachPaymentInItsOwnCurrency()
    {
        // "20 to 2000" means 20-2000 EUR for EUR rows, 20-2000 JPY for JPY rows, 20-2000 BHD for BHD rows.
        var ids = await Ids(new PaymentListFilter { Min = 20m, Max = 2000m });
        Assert.Equal([ListTestData.Anna().Id, ListTestData.Bob().Id, ListTestData.Ettore().Id], ids);
        Assert.Equal([ListTestData.Carla().Id, ListTestData.Dino().Id], await Ids(new PaymentListFilter { Max = 19.99m }));
    }

    [Fact]
    public async Task Filter_Currency_Gateway_Mode_Tenant_InCall_Flagged_EachNarrowsTheList()
    {
        Assert.Equal(Expected(p => p.Currency == Currency.EUR), await Ids(new PaymentListFilter { Currency = Currency.EUR }));
        Assert.Equal(Expected(p => p.SelectedGatewayId == "ecomcharge"), await Ids(new PaymentListFilter { Gateway = "ecomcharge" }));
        Assert.Equal([ListTestData.Bob().Id], await Ids(new PaymentListFilter { Mode = PaymentMode.Wallet }));
        Assert.Equal([ListTestData.Bob().Id], await Ids(new PaymentListFilter { Tenant = PaymentTenant.Sand }));
        Assert.Equal(Expected(p => p.Tenant == PaymentTenant.Live), await Ids(new PaymentListFilter { Tenant = PaymentTenant.Live }));
        Assert.Equal([ListTestData.Carla().Id], await Ids(new PaymentListFilter { InCall = true }));
        Assert.Equal(Expected(p => !p.InCall), await Ids(new PaymentListFilter { InCall = false }));
        Assert.Equal([ListTestData.Dino().Id], await Ids(new PaymentListFilter { FlaggedOnly = true }));
    }

    [Theory]
    [InlineData("4242", "pay_01JANNA0000000000000000001,pay_01JETTORE00000000000000005")]
    [InlineData("1881", "pay_01JCARLA000000000000000003")]
    [InlineData("anna.rossi@", "pay_01JANNA0000000000000000001")]
    [InlineData("BOB@EXAMPLE.ORG", "pay_01JBOB00000000000000000002")]
    [InlineData("pay_01jcarla", "pay_01JCARLA000000000000000003")]
    [InlineData("pay_01JDINO0000000000000000004", "pay_01JDINO0000000000000000004")]
    [InlineData("txn_01jettore", "pay_01JETTORE00000000000000005")]
    [InlineData(ListTestData.CallUuid, "pay_01JCARLA000000000000000003")]
    [InlineData("ORD-1002", "pay_01JBOB00000000000000000002")]
    [InlineData("ECM-UID-777", "pay_01JANNA0000000000000000001")]
    [InlineData("trk-carla-1", "pay_01JCARLA000000000000000003")]
    [InlineData("carla bia", "pay_01JCARLA000000000000000003")]
    [InlineData("Dino", "pay_01JDINO0000000000000000004")]
    [InlineData("9999", "")]
    [InlineData("nobody@", "")]
    public async Task Search_EachShape_FindsThePayment(string q, string expected)
    {
        var ids = await Ids(new PaymentListFilter { Search = q });
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), ids);
    }

    [Theory]
    [InlineData(PaymentSort.Created)]
    [InlineData(PaymentSort.Amount)]
    [InlineData(PaymentSort.Status)]
    [InlineData(PaymentSort.Currency)]
    [InlineData(PaymentSort.Customer)]
    [InlineData(PaymentSort.Reference)]
    public async Task Sort_EachColumnBothDirections_OrdersLikeTheModel(PaymentSort sort)
    {
        var all = ListTestData.All();
        Func<Payment, object?> key = sort switch
        {
            PaymentSort.Amount => p => p.FinalAmount,
            PaymentSort.Status => p => p.Status.ToString(),
            PaymentSort.Currency => p => p.Currency.Code,
            PaymentSort.Customer => p => p.CustomerName,
            PaymentSort.Reference => p => p.ReferenceId,
            _ => p => p.CreatedAtUtc,
        };
        var comparer = Comparer<object?>.Create((a, b) => a is string sa && b is string sb
            ? string.CompareOrdinal(sa, sb) : Comparer<object?>.Default.Compare(a, b));
        Func<Payment, object?> second = sort is PaymentSort.Status or PaymentSort.Currency ? p => p.CreatedAtUtc : p => p.Id;
        var ascending = all.OrderBy(key, comparer).ThenBy(second, comparer).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id).ToList();
        Assert.Equal(ascending, await Ids(new PaymentListFilter(), sort, descending: false));
        ascending.Reverse();
        Assert.Equal(ascending, await Ids(new PaymentListFilter(), sort, descending: true));
    }

    [Fact]
    public async Task Paging_Boundaries_LastPagePartialAndBeyondEndEmpty()
    {
        var all = Expected(_ => true);
        var first = await _queries.ListAsync(new PaymentListState(new PaymentListFilter(), Page: 1, Size: 2), TimeZoneInfo.Utc, true);
        var second = await _queries.ListAsync(new PaymentListState(new PaymentListFilter(), Page: 2, Size: 2), TimeZoneInfo.Utc, false);
        var last = await _queries.ListAsync(new PaymentListState(new PaymentListFilter(), Page: 3, Size: 2), TimeZoneInfo.Utc, false);
        var beyond = await _queries.ListAsync(new PaymentListState(new PaymentListFilter(), Page: 4, Size: 2), TimeZoneInfo.Utc, true);

        Assert.Equal(5, first.Total);
        Assert.Null(second.Total);
        Assert.Equal(all.Take(2), first.Rows.Select(r => r.Id));
        Assert.Equal(all.Skip(2).Take(2), second.Rows.Select(r => r.Id));
        Assert.Equal(all.Skip(4), last.Rows.Select(r => r.Id));
        Assert.Empty(beyond.Rows);
        Assert.Equal(5, beyond.Total);
    }

    [Fact]
    public async Task List_Rows_CarryNewestCardAndAmounts()
    {
        var page = await _queries.ListAsync(PaymentListState.Default, TimeZoneInfo.Utc, false);
        var anna = page.Rows.Single(r => r.Id == ListTestData.Anna().Id);
        Assert.Equal(("Visa", "4242"), (anna.CardBrand, anna.CardLast4));
        Assert.Equal(new Money(2500, Currency.EUR), anna.Final);
        Assert.Equal("Anna Rossi", anna.CustomerName);
        var bob = page.Rows.Single(r => r.Id == ListTestData.Bob().Id);
        Assert.Null(bob.CardLast4);
        Assert.Equal(new Money(1500, Currency.JPY), bob.Final);
        Assert.True(page.Rows.Single(r => r.Id == ListTestData.Dino().Id).TotalsMismatch);
    }

    [Fact]
    public async Task Gateways_ListsEachSelectedGatewayOnce()
    {
        Assert.Equal(["ecomcharge", "vcc", "voucherly"], await _queries.GatewaysAsync());
    }

    [Fact]
    public async Task Filter_Combined_AllConditionsApply()
    {
        var ids = await Ids(new PaymentListFilter { Currency = Currency.EUR, Search = "4242", Statuses = [PaymentStatus.Confirmed] });
        Assert.Equal([ListTestData.Anna().Id], ids);
    }

    [Fact]
    public async Task Count_MatchesTheListForAFilter()
    {
        var count = await _queries.CountAsync(new PaymentListFilter { Currency = Currency.EUR }, TimeZoneInfo.Utc);
        Assert.Equal(Expected(p => p.Currency == Currency.EUR).Count, count);
    }

    [Fact]
    public async Task List_PaymentAddedByBuilderDefaults_IsListed()
    {
        await using (var context = _db.CreateDbContext())
        {
            context.Add(PaymentBuilder.APayment().WithLine(100).Build());
            await context.SaveChangesAsync();
        }
        var page = await _queries.ListAsync(PaymentListState.Default, TimeZoneInfo.Utc, true);
        Assert.Equal(6, page.Total);
    }

    [Theory]
    [InlineData(null, 20.0, 2000.0)]
    [InlineData(null, null, 19.99)]
    [InlineData("EUR", 9.0, 30.0)]
    [InlineData("BHD", 12.345, null)]
    public async Task Filter_AmountWalkingTheDateIndex_MatchesTheSeekingForm(string? code, double? min, double? max)
    {
        var filter = new PaymentListFilter
        {
            Currency = code is null ? null : Currency.Parse(code), Min = (decimal?)min, Max = (decimal?)max,
        };
        await using var db = _db.CreateDbContext();
        var seeking = PaymentListQueries.Filter(db, filter, TimeZoneInfo.Utc).OrderBy(p => p.Id).Select(p => p.Id).ToList();
        var walking = PaymentListQueries.Filter(db, filter, TimeZoneInfo.Utc, amountSeek: false).OrderBy(p => p.Id).Select(p => p.Id).ToList();
        Assert.NotEmpty(seeking);
        Assert.Equal(seeking, walking);
    }
}
