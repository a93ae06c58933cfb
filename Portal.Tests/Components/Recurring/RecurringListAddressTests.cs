using Portal.Components.Pages.Recurring;
using Portal.Domain.Recurring;
using Portal.Recurring;

namespace Portal.Tests.Components.Recurring;

public sealed class RecurringListAddressTests
{
    [Fact]
    public void Read_EveryFilterSortAndPage_RoundTripsThroughTheAddress()
    {
        var request = new RecurringListRequest(
            new RecurringListFilter(RecurringScheduleStatus.PastDue, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), true, "member@"),
            RecurringSort.Amount, Descending: true, Page: 2, PageSize: 50);

        var address = RecurringListAddress.For(request);
        var reading = RecurringListAddress.Read(new Uri("http://localhost" + address).Query);

        Assert.Equal(request, reading.Request);
        Assert.Null(reading.Notice);
        Assert.StartsWith("/recurring?status=PastDue&from=2026-12-01&to=2026-12-31&failures=true", address, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoQuery_DefaultsAndNoNotice()
    {
        var reading = RecurringListAddress.Read("");

        Assert.Equal(RecurringListFilter.None, reading.Request.Filter);
        Assert.Equal(RecurringSort.NextCharge, reading.Request.Sort);
        Assert.Equal(0, reading.Request.Page);
        Assert.Equal(RecurringListAddress.DefaultPageSize, reading.Request.PageSize);
        Assert.Null(reading.Notice);
        Assert.Equal("/recurring", RecurringListAddress.For(reading.Request));
    }

    [Fact]
    public void Read_BadValues_IgnoredAndNamedInTheNotice_GoodOnesKept()
    {
        var reading = RecurringListAddress.Read("?status=Sleeping&from=2026-13-01&to=2026-12-31&failures=maybe&sort=colour&desc=yes&page=-1&size=7&q=rcs_1");

        Assert.Equal(new RecurringListFilter(NextTo: new DateOnly(2026, 12, 31), Search: "rcs_1"), reading.Request.Filter);
        Assert.Equal(RecurringSort.NextCharge, reading.Request.Sort);
        Assert.False(reading.Request.Descending);
        Assert.Equal(0, reading.Request.Page);
        Assert.Equal(RecurringListAddress.DefaultPageSize, reading.Request.PageSize);
        foreach (var bad in new[] { "status=Sleeping", "from=2026-13-01", "failures=maybe", "sort=colour", "desc=yes", "page=-1", "size=7" })
            Assert.Contains(bad, reading.Notice, StringComparison.Ordinal);
        Assert.DoesNotContain("to=2026-12-31", reading.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StatusAsANumber_IgnoredNotReadAsAStatus()
    {
        var reading = RecurringListAddress.Read("?status=3");

        Assert.Null(reading.Request.Filter.Status);
        Assert.Contains("status=3", reading.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RangeEndingBeforeItStarts_EndDroppedAndNamed()
    {
        var reading = RecurringListAddress.Read("?from=2026-12-20&to=2026-12-10");

        Assert.Equal(new DateOnly(2026, 12, 20), reading.Request.Filter.NextFrom);
        Assert.Null(reading.Request.Filter.NextTo);
        Assert.Contains("to=2026-12-10", reading.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportUrl_CarriesTheFiltersAndSortButNotThePage()
    {
        var request = new RecurringListRequest(new RecurringListFilter(RecurringScheduleStatus.Active, HasFailures: false), RecurringSort.Created, true, Page: 3);

        Assert.Equal("/recurring/export.csv?status=Active&failures=false&sort=Created&desc=true", RecurringListAddress.ExportUrl(request));
    }

    [Fact]
    public void ForStatus_TheDashboardLinks()
    {
        Assert.Equal("/recurring?status=NeedsAttention", RecurringListAddress.ForStatus(RecurringScheduleStatus.NeedsAttention));
        Assert.Equal("/recurring?status=PastDue", RecurringListAddress.ForStatus(RecurringScheduleStatus.PastDue));
    }
}
