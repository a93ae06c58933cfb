using Portal.Domain.Recurring;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>Cycle dates come from the anchor: month ends and leap days hold over years, charged on the right day by the runner.</summary>
public sealed class RecurringCalendarTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void DateOf_MonthlyFrom31January_ClampsToMonthEndAndReturnsTo31()
    {
        var anchor = new DateOnly(2027, 1, 31);
        var dates = Enumerable.Range(1, 14).Select(n => RecurringCalendar.DateOf(anchor, RecurringIntervalUnit.Month, 1, n)).ToList();
        Assert.Equal(
        [
            new(2027, 1, 31), new(2027, 2, 28), new(2027, 3, 31), new(2027, 4, 30), new(2027, 5, 31), new(2027, 6, 30), new(2027, 7, 31),
            new(2027, 8, 31), new(2027, 9, 30), new(2027, 10, 31), new(2027, 11, 30), new(2027, 12, 31), new(2028, 1, 31), new(2028, 2, 29),
        ], dates);
    }

    [Fact]
    public void DateOf_YearlyFromLeapDay_28FebruaryThenBackTo29OnTheNextLeapYear()
    {
        var anchor = new DateOnly(2028, 2, 29);
        var dates = Enumerable.Range(1, 5).Select(n => RecurringCalendar.DateOf(anchor, RecurringIntervalUnit.Year, 1, n)).ToList();
        Assert.Equal([new(2028, 2, 29), new(2029, 2, 28), new(2030, 2, 28), new(2031, 2, 28), new(2032, 2, 29)], dates);
    }

    [Fact]
    public void DateOf_EveryTwoWeeksAndEveryThreeDays_AddFixedDays()
    {
        var anchor = new DateOnly(2027, 12, 27);
        Assert.Equal(new DateOnly(2028, 1, 10), RecurringCalendar.DateOf(anchor, RecurringIntervalUnit.Week, 2, 2));
        Assert.Equal(new DateOnly(2028, 1, 2), RecurringCalendar.DateOf(anchor, RecurringIntervalUnit.Day, 3, 3));
    }

    [Fact]
    public void FirstCycleOnOrAfter_FindsTheFirstDateNotBeforeTheGivenDay()
    {
        var anchor = new DateOnly(2027, 1, 31);
        Assert.Equal(2, RecurringCalendar.FirstCycleOnOrAfter(anchor, RecurringIntervalUnit.Month, 1, new DateOnly(2027, 2, 28)));
        Assert.Equal(3, RecurringCalendar.FirstCycleOnOrAfter(anchor, RecurringIntervalUnit.Month, 1, new DateOnly(2027, 3, 1)));
        Assert.Equal(1, RecurringCalendar.FirstCycleOnOrAfter(anchor, RecurringIntervalUnit.Month, 1, new DateOnly(2026, 1, 1)));
        Assert.Equal(5, RecurringCalendar.FirstCycleOnOrAfter(anchor, RecurringIntervalUnit.Month, 1, new DateOnly(2027, 4, 30), atLeast: 5));
    }

    /// <summary>
    /// Three years on a fake clock, one runner round per day: the monthly (31 Jan), weekly and
    /// yearly (29 Feb) schedules are each charged once per cycle, on the cycle's own date.
    /// </summary>
    [Fact]
    public async Task Runner_ThreeYearsDailyOnFakeClock_ChargesEachCycleOnceOnItsDate()
    {
        var clock = new FixedClock(Utc(2027, 1, 30, 6));
        var gateway = new FakeTokenGateway();
        var service = Service(_db, gateway, clock);
        var runner = Runner(_db, gateway, clock);
        var (paymentId, transactionId) = await SeedSourceAsync(_db, "approve");
        var monthly = await service.CreateAsync(Create(paymentId, transactionId, new DateOnly(2027, 1, 31)), Finance);
        var weekly = await service.CreateAsync(Create(paymentId, transactionId, new DateOnly(2027, 1, 31), unit: RecurringIntervalUnit.Week), Finance);
        var yearly = await service.CreateAsync(Create(paymentId, transactionId, new DateOnly(2028, 2, 29), unit: RecurringIntervalUnit.Year), Finance);
        var monthEnd = await service.CreateAsync(Create(paymentId, transactionId, new DateOnly(2027, 1, 31), unit: RecurringIntervalUnit.Month,
            end: RecurringEndKind.OnDate, endDate: new DateOnly(2027, 6, 30)), Finance);

        var until = Utc(2030, 2, 1, 6);
        while (clock.GetUtcNow() < until)
        {
            clock.Advance(TimeSpan.FromDays(1));
            await runner.RunDueAsync();
        }

        var m = await CyclesAsync(_db, monthly.Id);
        Assert.Equal(37, m.Count); // Jan 2027 .. Jan 2030
        Assert.All(m, c => Assert.Equal(RecurringCycleStatus.Succeeded, c.Status));
        for (var i = 0; i < m.Count; i++)
        {
            var month = new DateOnly(2027, 1, 1).AddMonths(i);
            var expected = new DateOnly(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));
            Assert.Equal(expected, DateOnly.FromDateTime(m[i].DueAtUtc));
            // Charged on its own day (the runner ran daily at 06:00 UTC), never a day early or late.
            Assert.Equal(expected, DateOnly.FromDateTime(m[i].CompletedAtUtc!.Value));
        }
        Assert.Contains(m, c => DateOnly.FromDateTime(c.DueAtUtc) == new DateOnly(2028, 2, 29));

        var w = await CyclesAsync(_db, weekly.Id);
        Assert.Equal(157, w.Count);
        Assert.All(w, c => Assert.Equal(DayOfWeek.Sunday, c.DueAtUtc.DayOfWeek));
        Assert.All(w.Zip(w.Skip(1)), p => Assert.Equal(TimeSpan.FromDays(7), p.Second.DueAtUtc - p.First.DueAtUtc));

        var y = await CyclesAsync(_db, yearly.Id);
        Assert.Equal([new DateOnly(2028, 2, 29), new DateOnly(2029, 2, 28)], y.Select(c => DateOnly.FromDateTime(c.DueAtUtc)));

        // An end date: the last cycle is 30 June, then the schedule completes.
        var e = await CyclesAsync(_db, monthEnd.Id);
        Assert.Equal(6, e.Count);
        Assert.Equal(new DateOnly(2027, 6, 30), DateOnly.FromDateTime(e[^1].DueAtUtc));
        Assert.Equal(RecurringScheduleStatus.Completed, (await ScheduleAsync(_db, monthEnd.Id)).Status);

        // Exactly one gateway charge per cycle, each with its own key.
        Assert.Equal(37 + 157 + 2 + 6, gateway.Charges.Count);
        Assert.Equal(gateway.Charges.Count, gateway.Charges.Select(c => c.IdempotencyKey).Distinct().Count());
    }
}
