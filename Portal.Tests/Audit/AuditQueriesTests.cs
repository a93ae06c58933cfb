using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Domain.Audit;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Audit;

public sealed class AuditQueriesTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly AuditQueries _queries;

    public AuditQueriesTests()
    {
        _queries = new AuditQueries(_db);
    }

    [Fact]
    public async Task ListAsync_NoFilter_NewestFirstWithTotalAndPaging()
    {
        await SeedAsync();

        var first = await _queries.ListAsync(new AuditFilter(), skip: 0, take: 2);
        var second = await _queries.ListAsync(new AuditFilter(), skip: 2, take: 2);

        Assert.Equal(5, first.Total);
        Assert.Equal(["user.locked", "refund.requested"], first.Rows.Select(r => r.Action));
        Assert.Equal(["refund.requested", "user.created"], second.Rows.Select(r => r.Action));
        Assert.True(first.Rows[0].OccurredAtUtc > first.Rows[1].OccurredAtUtc);
    }

    [Fact]
    public async Task ListAsync_DateRange_FromInclusiveToExclusive()
    {
        await SeedAsync();

        var page = await _queries.ListAsync(new AuditFilter(FromUtc: Start.AddHours(1).UtcDateTime, ToUtc: Start.AddHours(3).UtcDateTime), 0, 50);

        Assert.Equal(2, page.Total);
        Assert.All(page.Rows, r => Assert.InRange(r.OccurredAtUtc, Start.AddHours(1).UtcDateTime, Start.AddHours(2).UtcDateTime));
    }

    [Fact]
    public async Task ListAsync_ActionActorAndResourceFilters_Combine()
    {
        await SeedAsync();

        var byAction = await _queries.ListAsync(new AuditFilter(Action: "refund.requested"), 0, 50);
        var byActorName = await _queries.ListAsync(new AuditFilter(Actor: "ANN@"), 0, 50);
        var byActorId = await _queries.ListAsync(new AuditFilter(Actor: "job:poller"), 0, 50);
        var byPayment = await _queries.ListAsync(new AuditFilter(Resource: "pay-1"), 0, 50);
        var byResource = await _queries.ListAsync(new AuditFilter(Resource: "tx-2"), 0, 50);
        var combined = await _queries.ListAsync(new AuditFilter(Actor: "ann", Action: "refund.requested", Resource: "pay-2"), 0, 50);
        var partialId = await _queries.ListAsync(new AuditFilter(Resource: "pay"), 0, 50);

        Assert.Equal(2, byAction.Total);
        Assert.Equal(3, byActorName.Total);
        Assert.Equal("job:poller", Assert.Single(byActorId.Rows).ActorId);
        Assert.Equal(2, byPayment.Total);
        Assert.Equal("pay-2", Assert.Single(byResource.Rows).PaymentId);
        Assert.Equal(500, Assert.Single(combined.Rows).AmountAfter);
        Assert.Equal(0, partialId.Total);
    }

    [Fact]
    public async Task ListAsync_ActorFilterWithWildcards_MatchesLiterally()
    {
        await SeedAsync();

        Assert.Equal(0, (await _queries.ListAsync(new AuditFilter(Actor: "%"), 0, 50)).Total);
        Assert.Equal(0, (await _queries.ListAsync(new AuditFilter(Actor: "a_n"), 0, 50)).Total);
    }

    [Fact]
    public async Task ActionsAsync_ReturnsDistinctSorted()
    {
        await SeedAsync();

        Assert.Equal(["payment.status-changed", "refund.requested", "user.created", "user.locked"], await _queries.ActionsAsync());
    }

    private async Task SeedAsync()
    {
        var clock = new FixedClock(Start);
        var trail = new AuditTrail(clock);
        var ann = Actor.User("u-ann", "ann@shop.test");
        await using var context = _db.CreateDbContext();
        trail.Record(context, Actor.Job("poller"), "payment.status-changed", "payment", "pay-1", paymentId: "pay-1",
            before: new { Status = "Paid" }, after: new { Status = "Confirmed" });
        clock.Advance(TimeSpan.FromHours(1));
        trail.Record(context, ann, "user.created", "user", "u-bob", after: new { Roles = new[] { "Staff" } });
        clock.Advance(TimeSpan.FromHours(1));
        trail.Record(context, ann, "refund.requested", "transaction", "tx-1", paymentId: "pay-1",
            amountBefore: 0, amountAfter: 250, currency: "EUR");
        clock.Advance(TimeSpan.FromHours(1));
        trail.Record(context, ann, "refund.requested", "transaction", "tx-2", paymentId: "pay-2",
            amountBefore: 0, amountAfter: 500, currency: "EUR");
        clock.Advance(TimeSpan.FromHours(1));
        trail.Record(context, Actor.User("u-zed", "zed@shop.test"), "user.locked", "user", "u-bob");
        await context.SaveChangesAsync();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ActionFilterAndActionList_SeekTheActionIndex_NotTheTable()
    {
        await using var db = _db.CreateDbContext();
        var byAction = db.Set<AuditEntry>().Where(e => e.Action == "refund.requested").OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Id);
        var actions = db.Set<AuditEntry>().Select(e => e.Action).Distinct().OrderBy(a => a);

        foreach (var sql in new[] { byAction.ToQueryString(), actions.ToQueryString() })
        {
            var plan = await PlanAsync(db, sql);
            Assert.Contains("IX_AuditEntries_Action_OccurredAtUtc", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN AuditEntries" + Environment.NewLine, plan + Environment.NewLine, StringComparison.Ordinal);
        }
    }

    private static async Task<string> PlanAsync(PortalDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join(Environment.NewLine, lines);
    }
}

public sealed class AuditUrlFilterTests
{
    [Fact]
    public void Parse_GoodValues_KeepsThemWithoutNotices()
    {
        var filter = AuditUrlFilter.Parse("2026-11-01", "2026-11-22", " ann ", "refund.requested", "pay-1", out var notices);

        Assert.Empty(notices);
        Assert.Equal(new DateOnly(2026, 11, 1), filter.From);
        Assert.Equal(new DateOnly(2026, 11, 22), filter.To);
        Assert.Equal("ann", filter.Actor);
        Assert.Equal("refund.requested", filter.Action);
        Assert.Equal("pay-1", filter.Resource);
    }

    [Fact]
    public void Parse_BadDates_AreDroppedWithANoticeEach()
    {
        var filter = AuditUrlFilter.Parse("yesterday", "2026-13-45", null, null, null, out var notices);

        Assert.Null(filter.From);
        Assert.Null(filter.To);
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, n => n.Contains("'yesterday' in 'from'", StringComparison.Ordinal));
        Assert.True(filter.IsEmpty);
    }

    [Fact]
    public void Parse_DatesAtTheEndsOfTheCalendar_AreDroppedWithANotice()
    {
        var filter = AuditUrlFilter.Parse("0001-01-01", "9999-12-31", null, null, null, out var notices);

        Assert.True(filter.IsEmpty);
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, n => n.Contains("'9999-12-31' in 'to'", StringComparison.Ordinal) && n.Contains("2999-12-31", StringComparison.Ordinal));
        Assert.Null(filter.ToFilter(TimeZoneInfo.Utc).ToUtc);
    }

    [Fact]
    public void Parse_RangeEndingBeforeItStarts_IsDroppedWithANotice()
    {
        var filter = AuditUrlFilter.Parse("2026-11-22", "2026-11-01", null, null, null, out var notices);

        Assert.Null(filter.From);
        Assert.Null(filter.To);
        Assert.Contains("ends before it starts", Assert.Single(notices), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlongOrControlCharacterText_IsDropped()
    {
        var filter = AuditUrlFilter.Parse(null, null, new string('a', 500), "bad\u0001action", null, out var notices);

        Assert.Null(filter.Actor);
        Assert.Null(filter.Action);
        Assert.Equal(2, notices.Count);
    }

    [Fact]
    public void ToFilter_LocalDays_BecomeUtcRangeCoveringWholeDays()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var filter = AuditUrlFilter.Parse("2026-11-01", "2026-11-02", null, null, null, out _).ToFilter(berlin);

        Assert.Equal(new DateTime(2026, 10, 31, 23, 0, 0, DateTimeKind.Utc), filter.FromUtc);
        Assert.Equal(new DateTime(2026, 11, 2, 23, 0, 0, DateTimeKind.Utc), filter.ToUtc);
    }

    [Fact]
    public void ToQuery_RoundTripsThroughParse()
    {
        var original = new AuditUrlFilter(new DateOnly(2026, 1, 2), null, "ann", null, "tx-1");

        var query = original.ToQuery();
        var parsed = AuditUrlFilter.Parse((string?)query["from"], (string?)query["to"], (string?)query["actor"],
            (string?)query["action"], (string?)query["resource"], out var notices);

        Assert.Empty(notices);
        Assert.Equal(original, parsed);
    }
}

public sealed class AuditDisplayTests
{
    [Theory]
    [InlineData(1250L, "EUR", "12.50 EUR")]
    [InlineData(1250L, "JPY", "1,250 JPY")]
    [InlineData(1250L, "BHD", "1.250 BHD")]
    [InlineData(-5L, "usd", "-0.05 USD")]
    public void Amount_UsesTheCurrencyExponent(long minor, string currency, string expected)
    {
        Assert.Equal(expected, AuditDisplay.Amount(minor, currency, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Amount_Missing_IsADash() => Assert.Equal("–", AuditDisplay.Amount(null, "EUR", CultureInfo.InvariantCulture));

    [Fact]
    public void PrettyJson_IndentsJsonAndLeavesOtherTextAlone()
    {
        Assert.Contains("\n", AuditDisplay.PrettyJson("{\"roles\":[\"Staff\"]}"), StringComparison.Ordinal);
        Assert.Equal("not json", AuditDisplay.PrettyJson("not json"));
    }
}
