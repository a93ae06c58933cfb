using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Dashboard;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// The dashboard in a real browser on a portal that seeded its demo data on first start: the
/// tiles show the numbers the query service computes for the user's local day, and the chart
/// and latest payments render.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    // Demo data follows a European business day; the browser gets a zone where it is now mid-afternoon,
    // so "today" has traffic to show whenever the test runs. Expectations use the same zone.
    private static readonly string Zone = AfternoonZone();
    private readonly PortalServer _server = new();

    public Task InitializeAsync()
    {
        _server.Settings["Portal:SeedDemoData"] = "true";
        _server.Settings["Portal:DemoPayments"] = "1500";
        _server.Settings["Jobs:Enabled"] = "false"; // nothing may change the data while the test reads it
        _server.EnsureStarted();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dashboard_SeededPortal_TilesShowQueryNumbers_ChartAndLatestRender()
    {
        var page = await NewPageAsync(dark: false);
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/");
        // The browser's zone arrives after the first render; the page then reloads for the local day.
        await Assertions.Expect(page.Locator(".portal-page-subtitle")).ToContainTextAsync("your local day");

        var queries = _server.LiveServices.GetRequiredService<DashboardQueries>();
        var expected = await queries.GetAsync(DashboardCalendar.For(TimeProvider.System, TimeZoneInfo.FindSystemTimeZoneById(Zone)));
        var culture = CultureInfo.CurrentCulture;

        await Assertions.Expect(page.Locator("[data-testid=payments-today]")).ToHaveTextAsync(expected.PaymentsTodayTotal.ToString("N0", culture));
        await Assertions.Expect(page.Locator("[data-testid=flagged-count]")).ToHaveTextAsync(expected.FlaggedPayments.ToString("N0", culture));
        await Assertions.Expect(page.Locator("[data-testid=pending-count]")).ToHaveTextAsync(expected.PendingNow.Count.ToString("N0", culture));
        await Assertions.Expect(page.Locator("[data-testid=refunds-count]")).ToHaveTextAsync(expected.RefundsToday.Transactions.ToString("N0", culture));
        if (expected.CollectedToday.Count > 0)
            await Assertions.Expect(page.Locator("[data-testid=collected-main]")).ToHaveTextAsync(expected.CollectedToday[0].Money.Format(culture));
        if (expected.AttemptsToday.SuccessRate is { } rate)
            await Assertions.Expect(page.Locator("[data-testid=success-rate]")).ToHaveTextAsync(rate.ToString("P1", culture));
        Assert.True(expected.FlaggedPayments > 0, "1,500 demo payments include deliberately inconsistent totals");
        Assert.Equal("/payments?flagged=true", await page.Locator("[data-testid=tile-flagged]").GetAttributeAsync("href"));

        // The chart draws a stacked column per status and day; the legend names the statuses.
        var chart = page.Locator("[data-testid=dashboard-chart]");
        await Assertions.Expect(chart.Locator("svg").First).ToBeVisibleAsync();
        Assert.True(await chart.Locator("svg path").CountAsync() > 30, "expected the chart's columns to be drawn");
        await Assertions.Expect(chart).ToContainTextAsync("Confirmed");

        var latest = page.Locator("[data-testid=latest-payment]");
        await Assertions.Expect(latest).ToHaveCountAsync(DashboardQueries.LatestCount);
        Assert.Equal(DashboardLinks.Payment(expected.Latest[0].Id), await latest.First.GetAttributeAsync("href"));

        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        // Volume mode with a currency picker.
        await page.Locator("[data-testid=chart-mode]").GetByText("Volume").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=chart-currency]")).ToBeVisibleAsync();
        await Assertions.Expect(chart).ToContainTextAsync("Money collected per day in");
    }

    [Fact]
    public async Task Dashboard_DarkTheme_Renders()
    {
        var page = await NewPageAsync(dark: true);
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/");
        await Assertions.Expect(page.Locator(".portal-page-subtitle")).ToContainTextAsync("your local day");
        await Assertions.Expect(page.Locator("[data-testid=dashboard-chart] svg").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard-dark");
    }

    private async Task<IPage> NewPageAsync(bool dark)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = Zone,
        });
        if (dark)
            await context.AddCookiesAsync([new Cookie { Name = "portal.theme", Value = "material-dark", Url = _server.BaseAddress.ToString() }]);
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    private static string AfternoonZone()
    {
        string[] candidates =
        [
            "Pacific/Kiritimati", "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok", "Asia/Kolkata",
            "Asia/Dubai", "Europe/Moscow", "Europe/Budapest", "Europe/London", "Atlantic/Azores", "America/Sao_Paulo", "America/New_York",
            "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
        ];
        var now = TimeProvider.System.GetUtcNow();
        return candidates.MinBy(id => Math.Abs(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(id)).TimeOfDay.TotalHours - 15.5))!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
