using System.Text;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Recurring;
using Portal.Recurring;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>The pages' read side: filters, sort and paging in SQL, the CSV, the detail with cycles and audit, dashboard counts, sources.</summary>
public sealed class RecurringQueriesTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Utc(2027, 6, 1));
    private readonly FakeTokenGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private RecurringQueries Queries() => new(_db, _gateway, _clock);

    /// <summary>Active (charged once), active with a soft decline, needs attention, paused, cancelled, and one starting later.</summary>
    private async Task<Dictionary<string, string>> SeedAsync()
    {
        var service = Service(_db, _gateway, _clock);
        async Task<string> New(string token, string description, long amount, DateOnly start)
        {
            var (p, t) = await SeedSourceAsync(_db, token);
            return (await service.CreateAsync(Create(p, t, start, amount, description: description), Finance)).Id;
        }
        var today = new DateOnly(2027, 6, 1);
        var ids = new Dictionary<string, string>
        {
            ["active"] = await New("approve", "Gym", 1_000, today),
            ["soft"] = await New("soft", "Insurance", 2_000, today),
            ["hard"] = await New("hard", "Wine", 3_000, today),
            ["paused"] = await New("approve", "Licence", 4_000, today.AddDays(5)),
            ["cancelled"] = await New("approve", "Magazine", 5_000, today.AddDays(4)),
            ["later"] = await New("approve", "Storage", 6_000, today.AddDays(20)),
        };
        await Runner(_db, _gateway, _clock).RunDueAsync();
        await service.PauseAsync(ids["paused"], Finance);
        await service.CancelAsync(ids["cancelled"], null, Finance);
        return ids;
    }

    [Fact]
    public async Task ListAsync_FiltersByStatusDateRangeFailuresAndSearch()
    {
        var ids = await SeedAsync();
        var q = Queries();
        async Task<List<string>> Ids(RecurringListFilter f) =>
            (await q.ListAsync(new RecurringListRequest(f, PageSize: 50))).Rows.Select(r => r.Id).ToList();

        Assert.Equal([ids["hard"]], await Ids(new(Status: RecurringScheduleStatus.NeedsAttention)));
        Assert.Equal([ids["paused"]], await Ids(new(Status: RecurringScheduleStatus.Paused)));
        Assert.Equal([ids["cancelled"]], await Ids(new(Status: RecurringScheduleStatus.Cancelled)));
        Assert.Equal(new[] { ids["hard"], ids["soft"] }.Order(), (await Ids(new(HasFailures: true))).Order());
        // Next charge 4 June (the soft decline's retry) to 1 July (the charged one's next cycle).
        Assert.Equal(new[] { ids["soft"], ids["paused"], ids["later"], ids["active"] },
            await Ids(new(NextFrom: new DateOnly(2027, 6, 4), NextTo: new DateOnly(2027, 7, 1))));
        Assert.Equal(new[] { ids["soft"] }, await Ids(new(NextFrom: new DateOnly(2027, 6, 4), NextTo: new DateOnly(2027, 6, 5))));
        Assert.Equal([ids["later"]], await Ids(new(Search: ids["later"])));
        Assert.Equal(6, (await Ids(new(Search: "ADA@"))).Count);
        Assert.Empty(await Ids(new(Search: "nobody")));
    }

    [Fact]
    public async Task ListAsync_SortsPagesAndCounts()
    {
        await SeedAsync();
        var q = Queries();

        var first = await q.ListAsync(new RecurringListRequest(RecurringListFilter.None, RecurringSort.Amount, Descending: true, Page: 0, PageSize: 4));
        var second = await q.ListAsync(new RecurringListRequest(RecurringListFilter.None, RecurringSort.Amount, Descending: true, Page: 1, PageSize: 4), includeCount: false);

        Assert.Equal(6, first.Total);
        Assert.Null(second.Total);
        Assert.Equal([6_000L, 5_000L, 4_000L, 3_000L], first.Rows.Select(r => r.AmountMinor));
        Assert.Equal([2_000L, 1_000L], second.Rows.Select(r => r.AmountMinor));
        // By next charge: the stopped ones (no next charge) last.
        var byNext = await q.ListAsync(new RecurringListRequest(RecurringListFilter.None, PageSize: 10));
        Assert.All(byNext.Rows.TakeLast(2), r => Assert.Null(r.NextChargeAtUtc));
        Assert.Equal("VISA •••• 1111", byNext.Rows[0].MaskedCard);
    }

    [Fact]
    public void ListUrl_RoundTripsAndIgnoresNonsense()
    {
        var request = new RecurringListRequest(new RecurringListFilter(RecurringScheduleStatus.PastDue, new DateOnly(2027, 1, 2), new DateOnly(2027, 2, 3), true, "ada@x"),
            RecurringSort.Amount, true, 3, 50);
        var query = RecurringListUrl.ToQueryString(request);
        Assert.Equal("status=PastDue&from=2027-01-02&to=2027-02-03&failures=true&q=ada%40x&sort=Amount&desc=true&page=3&size=50", query);
        var parsed = System.Web.HttpUtility.ParseQueryString(query);
        Assert.Equal(request, RecurringListUrl.Parse(k => parsed[k]));

        var junk = RecurringListUrl.Parse(k => k switch { "status" => "42", "from" => "yesterday", "size" => "100000", "page" => "-1", _ => null });
        Assert.Equal(new RecurringListRequest(RecurringListFilter.None, PageSize: RecurringListRequest.MaxPageSize), junk);
        Assert.Equal("", RecurringListUrl.ToQueryString(new RecurringListRequest(RecurringListFilter.None)));
    }

    [Fact]
    public async Task Export_WritesEveryFilteredRowWithDecimalAmountsAndMaskedCardOnly()
    {
        var ids = await SeedAsync();
        var text = new StringBuilder();
        await using (var writer = new StringWriter(text))
        {
            var count = await RecurringCsv.WriteAsync(writer, Queries().ExportRowsAsync(new RecurringListFilter(HasFailures: true)), CancellationToken.None);
            Assert.Equal(2, count);
        }
        var lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(",", RecurringCsv.Header), lines[0]);
        Assert.Equal(3, lines.Length);
        var hard = Assert.Single(lines, l => l.StartsWith(ids["hard"], StringComparison.Ordinal));
        Assert.Contains(",NeedsAttention,30.00,EUR,Wine,every month,2,,VISA,1111,ada@example.com,", hard);
        Assert.DoesNotContain("protected:", text.ToString());
    }

    [Fact]
    public async Task GetAsync_DetailWithCyclesAttemptsPaymentLinkUpcomingAndAudit()
    {
        var ids = await SeedAsync();
        await Service(_db, _gateway, _clock).ChangeAmountAsync(ids["active"], 1_250, Finance);

        var detail = await Queries().GetAsync(ids["active"]);

        Assert.NotNull(detail);
        Assert.Equal((RecurringScheduleStatus.Active, 1_250L), (detail.Schedule.Status, detail.Schedule.AmountMinor));
        var cycle = Assert.Single(detail.Cycles);
        Assert.Equal((1, RecurringCycleStatus.Succeeded, 1_000L), (cycle.Number, cycle.Status, cycle.AmountMinor));
        Assert.StartsWith("pay_", cycle.PaymentId);
        var attempt = Assert.Single(cycle.Attempts);
        Assert.Equal((TokenChargeKind.RecurringFirst, RecurringAttemptStatus.Approved, RecurringCycleAttempt.KeyFor(ids["active"], 1, 1)),
            (attempt.Kind, attempt.Status, attempt.IdempotencyKey));
        Assert.Equal([2, 3, 4, 5, 6], detail.Upcoming.Select(u => u.Number));
        Assert.Equal(new DateTime(2027, 7, 1, 0, 0, 0, DateTimeKind.Utc), detail.Upcoming[0].DueAtUtc);
        Assert.All(detail.Upcoming, u => Assert.Equal(1_250, u.AmountMinor));
        Assert.Equal([RecurringAuditActions.Created, RecurringAuditActions.CycleSucceeded, RecurringAuditActions.AmountChanged],
            detail.Audit.Select(a => a.Action));
        Assert.Null(await Queries().GetAsync("rcs_nope"));

        var soft = (await Queries().GetAsync(ids["soft"]))!;
        Assert.Equal((RecurringCycleStatus.RetryScheduled, "51"), (soft.Cycles[0].Status, soft.Cycles[0].GatewayCode));
        Assert.Equal(new DateTime(2027, 6, 4, 0, 0, 0, DateTimeKind.Utc), soft.Cycles[0].NextAttemptAtUtc);
    }

    [Fact]
    public async Task CountsAsync_ForTheDashboard()
    {
        await SeedAsync();

        var counts = await Queries().CountsAsync();

        Assert.Equal(new RecurringDashboardCounts(Active: 3, Paused: 1, NeedsAttention: 1, PastDue: 0, PendingVerification: 0, DueNext24Hours: 0), counts);
        Assert.Equal(1, counts.Failing);
    }

    [Fact]
    public async Task SourcesAsync_SaysWhichTransactionsCanStartASchedule()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var (p2, _) = await SeedSourceAsync(_db, "approve", gatewayId: "voucherly");

        var ok = Assert.Single(await Queries().SourcesAsync(p));
        var other = Assert.Single(await Queries().SourcesAsync(p2));

        Assert.Equal((t, true, "1111", 1_000L, "EUR"), (ok.TransactionId, ok.Eligible, ok.CardLast4, ok.AmountMinor, ok.Currency));
        Assert.False(other.Eligible);
        Assert.Contains("ecomcharge only", other.Reason);
        Assert.Empty(await Queries().SourcesAsync("pay_missing"));
    }
}
