using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Tests.Components.Recurring;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// Recurring charges in Chromium against the loopback portal and its eComCharge sandbox: Finance
/// schedules a charge from a payment, charges the next cycle now, pauses and resumes; Staff gets
/// no create button and the service refuses a crafted call.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecurringBrowserTests(BrowserFixture fixture)
{
    private IDbContextFactory<PortalDbContext> Db => fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    private ICardTokenProtector Tokens => fixture.Server.LiveServices.GetRequiredService<ICardTokenProtector>();

    private static DateOnly Tomorrow => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);

    /// <summary>Clicks a button of the open confirmation (MudBlazor message box).</summary>
    private static Task ConfirmAsync(IPage page, string button) =>
        page.Locator(".mud-dialog .mud-dialog-actions button", new() { HasTextString = button }).ClickAsync();

    /// <summary>A MudBlazor field's input (the test id lands on the input or on its wrapper, depending on the component).</summary>
    private static ILocator Field(IPage page, string testId) => page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]").First;

    private static ILocator Status(IPage page) => page.Locator("[data-testid=schedule-header] [data-testid=schedule-status]");

    [Fact]
    public async Task RecurringJourney_FinanceSchedulesFromPayment_ChargesNow_PausesAndResumes()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(Db, Tokens, SandboxTokens.Approve, amount: 1_990);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);

        // Create from the payment's transaction; a start tomorrow keeps the job from charging cycle 1 on its own.
        await BrowserFixture.OpenAsync(page, $"/payments/{paymentId}");
        await page.ClickAsync($"[data-testid=schedule-open-{transactionId}]");
        await Assertions.Expect(page.Locator("[data-testid=schedule-source]")).ToContainTextAsync("•••• 1111");
        await page.Locator("[data-testid=schedule-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Write a description");
        await Field(page, "schedule-description").FillAsync("Monthly membership");
        var start = Field(page, "schedule-start");
        await start.FillAsync(Tomorrow.ToString("yyyy-MM-dd"));
        await start.PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=schedule-preview]")).ToContainTextAsync(Tomorrow.ToString("yyyy-MM-dd"));
        await BrowserFixture.ScreenshotAsync(page, "recurring-create-dialog");
        await page.Locator("[data-testid=schedule-submit]").ClickAsync();

        await page.WaitForURLAsync("**/recurring/rcs*");
        var scheduleId = new Uri(page.Url).AbsolutePath["/recurring/".Length..];
        await Assertions.Expect(Status(page)).ToHaveAttributeAsync("data-status", "Active");
        await Assertions.Expect(page.Locator("[data-testid=schedule-card]")).ToContainTextAsync("•••• 1111");
        await Assertions.Expect(page.Locator("[data-testid=schedule-amount]")).ToContainTextAsync("19.90");

        // Charge the next cycle now: confirmation, then the cycle row with its payment.
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=action-charge-now]");
        await ConfirmAsync(page, "Charge now");
        var cycle = page.Locator("[data-testid=cycle-row][data-cycle='1']");
        await Assertions.Expect(cycle.Locator("[data-testid=cycle-status]")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasTextString = "Cycle 1 charged" })).ToBeVisibleAsync();
        var link = cycle.Locator("[data-testid=cycle-payment-link]");
        var chargedPaymentId = (await link.TextContentAsync())!.Trim();
        Assert.Equal($"/payments/{chargedPaymentId}", await link.GetAttributeAsync("href"));
        await using (var db = await Db.CreateDbContextAsync())
        {
            var charged = await db.Set<Payment>().AsNoTracking().WithAggregate().SingleAsync(p => p.Id == chargedPaymentId);
            Assert.Equal(1_990, charged.PaidAmount);
        }

        // Pause, then resume.
        await page.ClickAsync("[data-testid=action-pause]");
        await ConfirmAsync(page, "Pause collection");
        await Assertions.Expect(Status(page)).ToHaveAttributeAsync("data-status", "Paused");
        await Assertions.Expect(page.Locator("[data-testid=action-charge-now]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=action-resume]");
        await ConfirmAsync(page, "Resume collection");
        await Assertions.Expect(Status(page)).ToHaveAttributeAsync("data-status", "Active");
        await Assertions.Expect(page.Locator("[data-testid=audit-entry][data-action='recurring.resumed']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=audit-entry][data-action='recurring.paused']")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "recurring-schedule");

        // The list finds it by its id, filtered on its status, with the filters in the address.
        await BrowserFixture.OpenAsync(page, $"/recurring?status=Active&q={scheduleId}&sort=colour");
        await Assertions.Expect(page.Locator("[data-testid=url-notice]")).ToContainTextAsync("sort=colour");
        await Assertions.Expect(page.Locator("[data-testid=schedule-link]")).ToHaveTextAsync(scheduleId);
        await BrowserFixture.ScreenshotAsync(page, "recurring-list");
    }

    [Fact]
    public async Task RecurringList_FiltersLiveInTheAddress_BackRestoresThem()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Finance);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);
        await BrowserFixture.OpenAsync(page, "/recurring?status=Paused");

        await Field(page, "filter-search").FillAsync("rcs_nothing_like_this");
        await Field(page, "filter-search").PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("q=rcs_nothing_like_this", StringComparison.Ordinal));
        Assert.Contains("status=Paused", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=recurring-empty-filtered]")).ToBeVisibleAsync();

        await page.GoBackAsync();
        await page.WaitForURLAsync(url => !url.Contains("q=", StringComparison.Ordinal));
        await Assertions.Expect(Field(page, "filter-search")).ToHaveValueAsync("");
        await Assertions.Expect(Field(page, "filter-status")).ToHaveValueAsync("Paused");
    }

    [Fact]
    public async Task Recurring_Staff_NoCreateButton_NoPage_AndTheServiceRefusesACraftedCall()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(Db, Tokens, SandboxTokens.Approve);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);

        await BrowserFixture.OpenAsync(page, $"/payments/{paymentId}");
        await Assertions.Expect(page.Locator($"[data-testid=tx-status-{transactionId}]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid^=schedule-open-]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/recurring']")).ToHaveCountAsync(0);

        await page.GotoAsync("/recurring");
        await Assertions.Expect(page.Locator("[data-testid=recurring-grid]")).ToHaveCountAsync(0);

        // The same request the dialog would send, made directly as this Staff user: refused, audited, nothing saved.
        var services = fixture.Server.LiveServices;
        string staffId;
        await using (var scope = services.CreateAsyncScope())
            staffId = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
        var staff = new RecurringUser(Actor.User(staffId, email), [Roles.Staff]);
        var service = services.GetRequiredService<RecurringScheduleService>();
        var refused = await Assert.ThrowsAsync<RecurringScheduleException>(() =>
            service.CreateAsync(RecurringUiTestData.Command(paymentId, transactionId, Tomorrow), staff));
        Assert.Equal(RecurringRefusal.Forbidden, refused.Refusal);

        await using var db = await Db.CreateDbContextAsync();
        Assert.False(await db.Set<RecurringSchedule>().AnyAsync(s => s.SourceTransactionId == transactionId));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == RecurringAuditActions.Refused && a.ActorId == staffId));
    }
}
