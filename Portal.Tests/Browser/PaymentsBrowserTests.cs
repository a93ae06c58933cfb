using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Money;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Tests.Payments;

namespace Portal.Tests.Browser;

/// <summary>The payments list, the payment page and the transactions list, driven in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PaymentsBrowserTests(BrowserFixture fixture)
{
    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static readonly HashSet<Uri> Seeded = [];

    /// <summary>Seeds the sample month once per server, through the domain and the live host's context factory.</summary>
    private async Task SeedAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (!Seeded.Add(fixture.Server.BaseAddress)) return;
            var factory = fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            db.AddRange(SamplePayments.Build());
            var (delivery, addAudit) = SamplePayments.RichExtras();
            db.Add(delivery);
            addAudit(db);
            await db.SaveChangesAsync();
        }
        finally
        {
            SeedLock.Release();
        }
    }

    private async Task<IPage> SignedInAsync(string url)
    {
        await SeedAsync();
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, url);
        return page;
    }

    private static ILocator Grid(IPage page) => page.Locator("[data-testid=payments-grid]");

    [Fact]
    public async Task PaymentsList_SearchByLast4_FindsThePayment()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery);
        await Assertions.Expect(Grid(page).Locator("[data-testid=payment-link]")).ToHaveCountAsync(25);
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 34");
        await page.SetViewportSizeAsync(1440, 1500);
        await BrowserFixture.ScreenshotAsync(page, "payments-list");

        await page.FillAsync("[data-testid=payments-search]", SamplePayments.RichLast4);
        await page.PressAsync("[data-testid=payments-search]", "Enter");

        await Assertions.Expect(page.Locator("[data-testid=search-shape]")).ToContainTextAsync("card last 4");
        await Assertions.Expect(Grid(page).Locator("[data-testid=payment-link]")).ToHaveTextAsync([SamplePayments.RichId]);
        await Assertions.Expect(Grid(page)).ToContainTextAsync("Mastercard •••• 7315");
        Assert.Contains("q=" + SamplePayments.RichLast4, page.Url, StringComparison.Ordinal);

        await Grid(page).Locator("[data-testid=payment-link]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/payments/" + SamplePayments.RichId + "$"));
        await Assertions.Expect(page.Locator("[data-testid=payment-id]")).ToHaveTextAsync(SamplePayments.RichId);
    }

    [Fact]
    public async Task PaymentsList_FilterLandsInTheUrl_AndSurvivesReload()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery);
        await Assertions.Expect(Grid(page).Locator("[data-testid=payment-link]")).ToHaveCountAsync(25);

        await page.Locator("[data-testid=filter-flagged]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("flagged=true"));
        var flaggedRows = Grid(page).Locator("[data-testid=payment-link]");
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 3");
        await Assertions.Expect(Grid(page).Locator("[data-testid=row-flag]")).ToHaveCountAsync(3);
        // The unfiltered first page also holds 3 flagged rows: wait for the filtered page itself.
        await Assertions.Expect(flaggedRows).ToHaveCountAsync(3);
        var before = await flaggedRows.AllTextContentsAsync();

        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        Assert.Contains("flagged=true", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 3");
        await Assertions.Expect(flaggedRows).ToHaveTextAsync(before.ToArray());
        await Assertions.Expect(page.Locator("[data-testid=filter-flagged] input")).ToBeCheckedAsync();

        // Sorting by amount lands in the URL too.
        await Grid(page).Locator("th", new() { HasTextString = "Amount" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=amount"));
    }

    [Fact]
    public async Task PaymentsList_SavedView_KeepsTheFiltersAndAppliesThemAgain()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery + "&flagged=true");
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 3");
        var name = "Flagged " + Guid.NewGuid().ToString("N")[..8];

        await page.ClickAsync("[data-testid=saved-views-toggle]");
        await page.Locator("input[data-testid=saved-view-name], [data-testid=saved-view-name] input").First.FillAsync(name);
        await page.ClickAsync("[data-testid=saved-view-save]");
        await Assertions.Expect(page.Locator(".mud-snackbar.mud-alert-filled-success")).ToContainTextAsync("View saved");
        await Assertions.Expect(page.Locator("[data-testid=saved-view-apply]", new() { HasTextString = name })).ToBeVisibleAsync();

        await BrowserFixture.OpenAsync(page, "/payments?" + SamplePayments.OctoberQuery);
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 34");
        await page.ClickAsync("[data-testid=saved-views-toggle]");
        await page.Locator("[data-testid=saved-view-apply]", new() { HasTextString = name }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("flagged=true"));
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 3");
        await Assertions.Expect(page.Locator("[data-testid=filter-flagged] input")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task PaymentsList_SortThenBack_TheGridFollowsTheUrl()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery + "&size=50");
        var ids = Grid(page).Locator("[data-testid=payment-link]");
        await Assertions.Expect(ids).ToHaveCountAsync(34);
        var byDate = await ids.AllTextContentsAsync();

        await Grid(page).Locator("th", new() { HasTextString = "Amount" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=amount"));
        await Assertions.Expect(ids).Not.ToHaveTextAsync(byDate.ToArray());

        await page.GoBackAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=amount"));
        await Assertions.Expect(ids).ToHaveTextAsync(byDate.ToArray());
    }

    [Fact]
    public async Task PaymentPage_ShowsLinesDiscountsAndTransactions_WithFormattedAmounts()
    {
        var page = await SignedInAsync("/payments/" + SamplePayments.RichId);
        string Eur(long minor) => new Money(minor, Currency.EUR).Format(CultureInfo.CurrentCulture);

        await Assertions.Expect(page.Locator("[data-testid=amount-final]")).ToHaveTextAsync(Eur(11340));
        await Assertions.Expect(page.Locator("[data-testid=amount-paid]")).ToHaveTextAsync(Eur(11340));
        await Assertions.Expect(page.Locator("[data-testid=mismatch-chip]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=total-mismatch]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=total-mismatch]")).ToContainTextAsync(Eur(11440));

        var lines = page.Locator("[data-testid=line-row]");
        await Assertions.Expect(lines).ToHaveCountAsync(3);
        await Assertions.Expect(lines.Nth(0)).ToContainTextAsync("Cooking class");
        await Assertions.Expect(lines.Nth(0)).ToContainTextAsync(Eur(8000));
        await Assertions.Expect(lines.Nth(1)).ToContainTextAsync(Eur(3600));
        await Assertions.Expect(lines.Nth(2)).ToContainTextAsync("gift");

        var discounts = page.Locator("[data-testid=discount-row]");
        await Assertions.Expect(discounts).ToHaveCountAsync(2);
        await Assertions.Expect(discounts.Nth(0)).ToContainTextAsync(Eur(12600));
        await Assertions.Expect(discounts.Nth(1)).ToContainTextAsync(Eur(1260));
        await Assertions.Expect(discounts.Nth(1)).ToContainTextAsync(Eur(11340));

        var transactions = page.Locator("[data-testid=transaction-row]");
        await Assertions.Expect(transactions).ToHaveCountAsync(2);
        await Assertions.Expect(transactions.Nth(0)).ToContainTextAsync("Visa •••• 0019");
        await Assertions.Expect(transactions.Nth(0)).ToContainTextAsync("Insufficient funds");
        await Assertions.Expect(transactions.Nth(1)).ToContainTextAsync("Mastercard •••• 7315");
        await Assertions.Expect(transactions.Nth(1)).ToContainTextAsync(Eur(2000));
        await Assertions.Expect(page.Locator("[data-testid=call-panel]")).ToContainTextAsync("3f2b8c1e-9d4a-4e7b-8f6a-2c1d0e9b7a65");
        await Assertions.Expect(page.Locator("[data-testid=metadata]")).ToContainTextAsync("Milano Centrale");

        await page.SetViewportSizeAsync(1440, 2900);
        // The attempt with an error and the admin's refund action still fits its panel at 1440 px.
        await Assertions.Expect(page.Locator("[data-testid^=refund-open-]")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("[data-testid=transactions]").EvaluateAsync<bool>("el => el.scrollWidth <= el.clientWidth"),
            "the transactions table overflows its panel");
        await BrowserFixture.ScreenshotAsync(page, "payment-detail");
        var timeline = page.Locator("[data-testid=timeline-entry]");
        await Assertions.Expect(timeline.First).ToHaveAttributeAsync("data-kind", "Audit");
        await Assertions.Expect(page.Locator("[data-testid=timeline-entry][data-kind=RefusedStatusChange]")).ToContainTextAsync("Refused: Transaction RefundedPartially → Paid");
        await Assertions.Expect(page.Locator("[data-testid=timeline-entry][data-kind=Audit]")).ToContainTextAsync("admin@portal.local");
        await page.Locator("[data-testid=view-payload]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=payload]")).ToContainTextAsync("545454******7315");
    }

    [Fact]
    public async Task PaymentPage_UnknownId_ShowsNotFound()
    {
        var page = await SignedInAsync("/payments/pay_DOESNOTEXIST");
        await Assertions.Expect(page.Locator("[data-testid=payment-not-found]")).ToContainTextAsync("pay_DOESNOTEXIST");
    }

    [Fact]
    public async Task PaymentsList_Export_DownloadsACsvWhoseRowsMatchTheGrid()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery + "&sort=amount&size=50");
        var ids = Grid(page).Locator("[data-testid=payment-link]");
        await Assertions.Expect(ids).ToHaveCountAsync(34);
        var gridIds = await ids.AllTextContentsAsync();
        var gridAmounts = (await Grid(page).Locator("[data-testid=row-amount] .portal-amount").AllTextContentsAsync()).Select(a => a.Trim()).ToList();

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-csv]"));
        var file = Path.Combine(TestPaths.NewDataDirectory("download"), download.SuggestedFilename);
        await download.SaveAsAsync(file);
        await Assertions.Expect(page.Locator("[data-testid=export-status]")).ToContainTextAsync("Downloaded 34 rows");

        using var csv = new CsvReader(new StreamReader(file), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(gridIds, rows.Select(r => (string)r["PaymentId"]));
        var formatted = rows.Select(r => new Money(Money.FromDecimal(decimal.Parse((string)r["FinalAmount"], CultureInfo.InvariantCulture),
            Currency.Parse((string)r["Currency"])).Minor, Currency.Parse((string)r["Currency"])).Format(CultureInfo.CurrentCulture)).ToList();
        Assert.Equal(gridAmounts, formatted);
        Assert.StartsWith("payments-", download.SuggestedFilename, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaymentsList_BadUrlValue_ShowsANoticeAndStillLists()
    {
        var page = await SignedInAsync("/payments?" + SamplePayments.OctoberQuery + "&status=Lost&currency=XXX&page=zero");
        var notice = page.Locator("[data-testid=url-notice]");
        await Assertions.Expect(notice).ToContainTextAsync("status=Lost");
        await Assertions.Expect(notice).ToContainTextAsync("currency=XXX");
        await Assertions.Expect(notice).ToContainTextAsync("page=zero");
        await Assertions.Expect(page.Locator("[data-testid=pager-summary]")).ToContainTextAsync("of 34");
    }

    [Fact]
    public async Task TransactionsList_FiltersByGateway_AndLinksToThePayment()
    {
        var page = await SignedInAsync("/transactions?" + SamplePayments.OctoberQuery);
        var grid = page.Locator("[data-testid=transactions-grid]");
        await Assertions.Expect(grid.Locator("[data-testid=payment-link]")).ToHaveCountAsync(25);
        await page.SetViewportSizeAsync(1440, 1500);
        await BrowserFixture.ScreenshotAsync(page, "transactions");

        await page.FillAsync("[data-testid=transactions-search]", SamplePayments.RichLast4);
        await page.PressAsync("[data-testid=transactions-search]", "Enter");
        await Assertions.Expect(grid.Locator("[data-testid=payment-link]")).ToHaveTextAsync([SamplePayments.RichId]);
        Assert.Contains("q=" + SamplePayments.RichLast4, page.Url, StringComparison.Ordinal);
        await grid.Locator("[data-testid=payment-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/payments/" + SamplePayments.RichId + "$"));
    }

    [Fact]
    public async Task TransactionsList_BackAndForward_FollowTheUrl()
    {
        var page = await SignedInAsync("/transactions?" + SamplePayments.OctoberQuery);
        var links = page.Locator("[data-testid=transactions-grid] [data-testid=payment-link]");
        await Assertions.Expect(links).ToHaveCountAsync(25);
        await page.FillAsync("[data-testid=transactions-search]", SamplePayments.RichLast4);
        await page.PressAsync("[data-testid=transactions-search]", "Enter");
        await Assertions.Expect(links).ToHaveTextAsync([SamplePayments.RichId]);

        await page.GoBackAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=" + SamplePayments.RichLast4));
        await Assertions.Expect(links).ToHaveCountAsync(25);
        await Assertions.Expect(page.Locator("[data-testid=transactions-search]")).ToHaveValueAsync("");

        await page.GoForwardAsync();
        await Assertions.Expect(links).ToHaveTextAsync([SamplePayments.RichId]);
        await Assertions.Expect(page.Locator("[data-testid=transactions-search]")).ToHaveValueAsync(SamplePayments.RichLast4);
    }
}
