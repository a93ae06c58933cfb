using Portal.Dashboard;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Dashboard;

/// <summary>The dashboard's numbers against a small hand-built history, with the clock fixed at 2026-11-22 14:00 UTC.</summary>
public sealed class DashboardQueriesTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 22, 14, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Today = Now.Date;
    private readonly TestDatabase _database = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(new DateTimeOffset(Now));

    public DashboardQueriesTests()
    {
        Save(
            // Today: three paid (two EUR, one JPY), one declined, two still open.
            Paid("pay_today_eur_1", Currency.EUR, 1000, Today.AddHours(9)),
            Paid("pay_today_eur_2", Currency.EUR, 2500, Today.AddHours(10)),
            Paid("pay_today_jpy", Currency.JPY, 1200, Today.AddHours(11)),
            PaymentBuilder.APayment().WithId("pay_today_declined").CreatedAt(Today.AddHours(12)).WithLine(700)
                .WithTransaction(t => t with { CreatedAtUtc = Today.AddHours(12), Status = TransactionStatus.Failed, RequestedAmount = 700 }).Build(),
            PaymentBuilder.APayment().WithId("pay_today_open_old").InCurrency(Currency.BHD).CreatedAt(Now.AddMinutes(-30)).WithLine(4250)
                .WithTransaction(t => t with { CreatedAtUtc = Now.AddMinutes(-30), Status = TransactionStatus.Requested, RequestedAmount = 4250 }).Build(),
            PaymentBuilder.APayment().WithId("pay_today_open_new").CreatedAt(Now.AddMinutes(-5)).WithLine(990)
                .WithTransaction(t => t with { CreatedAtUtc = Now.AddMinutes(-5), Status = TransactionStatus.NextAction, RequestedAmount = 990 }).Build(),
            // 23:30 UTC yesterday is already today in Budapest (UTC+1).
            Paid("pay_late_yesterday", Currency.EUR, 400, Today.AddMinutes(-30)),
            // Refunded today although created yesterday; another refunded yesterday does not count.
            Refunded(Paid("pay_yesterday_refunded_today", Currency.EUR, 5000, Today.AddHours(-20)), 1000, Today.AddHours(11)),
            Refunded(Paid("pay_refunded_yesterday", Currency.EUR, 3000, Today.AddHours(-30)), 3000, Today.AddHours(-10)),
            // A flagged payment from three weeks ago, and one older than the chart.
            PaymentBuilder.APayment().WithId("pay_flagged").CreatedAt(Today.AddDays(-21)).WithLine(1500)
                .WithReportedTotals(new ReportedTotals(FinalAmount: 1499)).Build(),
            Paid("pay_old", Currency.EUR, 800, Today.AddDays(-40)));
    }

    [Fact]
    public async Task GetAsync_UtcDay_ExactTilesFromHandBuiltHistory()
    {
        var snapshot = await Queries().GetAsync(DashboardCalendar.Utc(_clock));

        Assert.Equal(new DateOnly(2026, 11, 22), snapshot.Today);
        Assert.False(snapshot.IsLocalDay);
        Assert.Equal(
            [new CurrencyTotal(Currency.EUR, 2, 3500), new CurrencyTotal(Currency.JPY, 1, 1200)],
            snapshot.CollectedToday);
        Assert.Equal(6, snapshot.PaymentsTodayTotal);
        Assert.Equal([new StatusCount(PaymentStatus.Requested, 3), new StatusCount(PaymentStatus.Confirmed, 3)], snapshot.PaymentsToday);
        Assert.Equal(new AttemptOutcomes(Successful: 3, Failed: 1, Undecided: 2), snapshot.AttemptsToday);
        Assert.Equal(0.75, snapshot.AttemptsToday.SuccessRate);
        Assert.Equal(1, snapshot.RefundsToday.Transactions);
        Assert.Equal([new CurrencyTotal(Currency.EUR, 1, 1000)], snapshot.RefundsToday.Amounts);
        Assert.Equal(new PendingSummary(2, 1, Now.AddMinutes(-30)), snapshot.PendingNow);
        Assert.Equal(1, snapshot.FlaggedPayments);
        Assert.Equal(["pay_today_open_new", "pay_today_open_old", "pay_today_declined", "pay_today_jpy"], snapshot.Latest.Take(4).Select(p => p.Id));
        Assert.Equal(DashboardQueries.LatestCount, snapshot.Latest.Count);
    }

    [Fact]
    public async Task GetAsync_LocalDay_CountsByTheUsersMidnight()
    {
        var budapest = TimeZoneInfo.FindSystemTimeZoneById("Europe/Budapest");
        var snapshot = await Queries().GetAsync(DashboardCalendar.For(_clock, budapest));

        Assert.True(snapshot.IsLocalDay);
        Assert.Equal(7, snapshot.PaymentsTodayTotal);
        Assert.Equal(new CurrencyTotal(Currency.EUR, 3, 3900), snapshot.CollectedToday[0]);
        Assert.Equal(new AttemptOutcomes(4, 1, 2), snapshot.AttemptsToday);
    }

    [Fact]
    public async Task GetAsync_Chart_ThirtyDaysEndingToday_PerDayStatusAndCurrency()
    {
        var chart = (await Queries().GetAsync(DashboardCalendar.Utc(_clock))).Chart;

        Assert.Equal(DashboardQueries.ChartDays, chart.Days.Count);
        Assert.Equal(new DateOnly(2026, 10, 24), chart.Days[0]);
        Assert.Equal(new DateOnly(2026, 11, 22), chart.Days[^1]);
        var yesterday = chart.Buckets.Where(b => b.Day == new DateOnly(2026, 11, 21)).ToList();
        Assert.Equal([new DailyBucket(new DateOnly(2026, 11, 21), PaymentStatus.Confirmed, Currency.EUR, 2, 5400)], yesterday);
        Assert.Contains(new DailyBucket(new DateOnly(2026, 11, 20), PaymentStatus.Refunded, Currency.EUR, 1, 3000), chart.Buckets);
        Assert.Contains(new DailyBucket(new DateOnly(2026, 11, 1), PaymentStatus.Requested, Currency.EUR, 1, 0), chart.Buckets);
        Assert.DoesNotContain(chart.Buckets, b => b.Day < chart.Days[0]);
        Assert.Equal(6, chart.Buckets.Where(b => b.Day == chart.Days[^1]).Sum(b => b.Count));
        Assert.Equal([Currency.EUR, Currency.JPY], chart.Currencies);
    }

    [Fact]
    public async Task GetAsync_EmptyDatabase_ZerosAndNoRate()
    {
        using var empty = TestDatabase.CreateMigrated();
        var snapshot = await new DashboardQueries(empty).GetAsync(DashboardCalendar.Utc(_clock));

        Assert.Empty(snapshot.CollectedToday);
        Assert.Equal(0, snapshot.PaymentsTodayTotal);
        Assert.Null(snapshot.AttemptsToday.SuccessRate);
        Assert.Equal(new PendingSummary(0, 0, null), snapshot.PendingNow);
        Assert.Equal(0, snapshot.RefundsToday.Transactions);
        Assert.Empty(snapshot.Latest);
        Assert.Empty(snapshot.Chart.Buckets);
        Assert.Equal(DashboardQueries.ChartDays, snapshot.Chart.Days.Count);
    }

    [Fact]
    public void Calendar_FromConversionOnly_FindsMidnightAcrossDaylightSavingChange()
    {
        var budapest = TimeZoneInfo.FindSystemTimeZoneById("Europe/Budapest");
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero));
        var calendar = DashboardCalendar.For(clock, utc => TimeZoneInfo.ConvertTimeFromUtc(utc, budapest));

        Assert.Equal(new DateOnly(2026, 3, 29), calendar.Today);
        Assert.Equal(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), calendar.StartUtc(new DateOnly(2026, 3, 29)));
        Assert.Equal(new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), calendar.EndUtc(new DateOnly(2026, 3, 29)));
        Assert.Equal(new DateTime(2026, 10, 24, 22, 0, 0, DateTimeKind.Utc), calendar.StartUtc(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void Links_CarryTheListFilters()
    {
        var day = new DateOnly(2026, 11, 22);
        Assert.Equal("/payments?status=Confirmed&from=2026-11-22&to=2026-11-22", DashboardLinks.PaymentsOn(day, PaymentStatus.Confirmed));
        Assert.Equal("/payments?from=2026-11-22&to=2026-11-22", DashboardLinks.PaymentsOn(day));
        Assert.Equal("/payments?status=Paid,Confirmed,Refunded&from=2026-11-22&to=2026-11-22&currency=EUR", DashboardLinks.CollectedOn(day, "EUR"));
        Assert.Equal("/payments?flagged=true", DashboardLinks.Flagged);
        Assert.Equal("/transactions?status=Requested,NextAction", DashboardLinks.Pending);
        Assert.Equal("/payments/pay_01ABC", DashboardLinks.Payment("pay_01ABC"));
    }

    private DashboardQueries Queries() => new(_database);

    private static Payment Paid(string id, Currency currency, long amount, DateTime at) =>
        PaymentBuilder.APayment().WithId(id).InCurrency(currency).CreatedAt(at).WithLine(amount)
            .WithTransaction(t => t with
            {
                CreatedAtUtc = at, Status = TransactionStatus.Confirmed, RequestedAmount = amount, ProcessedAmount = amount, ConfirmedAmount = amount,
            }).Build();

    private static Payment Refunded(Payment payment, long amount, DateTime at)
    {
        payment.Transactions[0].RecordRefund(amount, "test", at);
        return payment;
    }

    private void Save(params Payment[] payments)
    {
        using var db = _database.CreateDbContext();
        db.AddRange(payments);
        db.SaveChanges();
    }

    public void Dispose() => _database.Dispose();
}
