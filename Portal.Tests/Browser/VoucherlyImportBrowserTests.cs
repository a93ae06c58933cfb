using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Security;
using Portal.Payments;
using Portal.Persistence;
using Portal.Sandbox.Voucherly;
using Portal.Tests.Infrastructure;
using Portal.Tests.Payments;

namespace Portal.Tests.Browser;

/// <summary>"Import from Voucherly" on the payments list, in Chromium against the loopback portal and its Voucherly sandbox.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VoucherlyImportBrowserTests(BrowserFixture fixture)
{
    private VoucherlySandboxStore Sandbox => fixture.Server.LiveServices.GetRequiredService<VoucherlySandboxStore>();
    private IDbContextFactory<PortalDbContext> Db => fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    private static string NewId() => "vly_ui_" + Guid.NewGuid().ToString("N")[..12];

    private static ILocator Dialog(IPage page) => page.Locator("[data-testid=voucherly-import-dialog]");

    private async Task<IPage> SignedInStaffAsync(string url)
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);
        await BrowserFixture.OpenAsync(page, url);
        return page;
    }

    private async Task<int> AuditCountAsync(string paymentId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Set<AuditEntry>().CountAsync(a => a.Action == VoucherlyImportCommands.AuditAction && a.ResourceId == paymentId);
    }

    [Fact]
    public async Task ImportDialog_StaffImportsBySandboxId_FollowsTheLinkToThePaymentPage()
    {
        var id = NewId();
        Sandbox.Put(VoucherlyImportCommandsTests.Order(id));
        var page = await SignedInStaffAsync("/payments");

        await page.ClickAsync("[data-testid=voucherly-import]");
        await Assertions.Expect(Dialog(page)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-dialog-title")).ToHaveTextAsync("Import from Voucherly");

        // A malformed id is refused in the form, and Voucherly is not asked.
        var reads = Sandbox.TotalReads;
        await page.FillAsync("[data-testid=voucherly-import-id]", "vly pay/1");
        await page.ClickAsync("[data-testid=voucherly-import-submit]");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-validation]")).ToContainTextAsync("only letters, digits");
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-validation");
        Assert.Equal(reads, Sandbox.TotalReads);

        // Typing clears the message. The real id; two clicks leave the browser before the circuit re-renders, one import happens.
        await page.FillAsync("[data-testid=voucherly-import-id]", id);
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-validation]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=voucherly-import-submit]").EvaluateAsync("el => { el.click(); el.click(); }");
        var outcome = page.Locator("[data-testid=voucherly-import-outcome]");
        await Assertions.Expect(outcome).ToHaveAttributeAsync("data-outcome", "Created");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-validation]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-title]")).ToHaveTextAsync("Imported");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-message]")).ToContainTextAsync($"Voucherly payment {id} is now in the portal.");
        // Done for this id: Import stays disabled (a late second click is ignored) until the id is changed.
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-submit]")).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-created");
        // A submit that arrives only now (a click dispatched before the re-render) is ignored too.
        await Dialog(page).EvaluateAsync("form => form.requestSubmit()");
        await Assertions.Expect(outcome).ToHaveAttributeAsync("data-outcome", "Created");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-running]")).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=voucherly-import-link]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/payments/" + id + "$"));
        await Assertions.Expect(page.Locator("[data-testid=payment-id]")).ToHaveTextAsync(id);
        await Assertions.Expect(page.Locator("[data-testid=payment-status] [data-status]")).ToHaveAttributeAsync("data-status", "Paid");
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync(VoucherlyImportCommands.AuditAction);
        await Assertions.Expect(Dialog(page)).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-payment-page");
        // The circuit handles events in order: the late submit was handled before the navigation.
        Assert.Equal(1, Sandbox.ReadCount(id));
        Assert.Equal(1, await AuditCountAsync(id));

        // Importing the same id again says it is already up to date, and adds nothing.
        await BrowserFixture.OpenAsync(page, "/payments");
        await page.ClickAsync("[data-testid=voucherly-import]");
        await page.FillAsync("[data-testid=voucherly-import-id]", id);
        await page.PressAsync("[data-testid=voucherly-import-id]", "Enter");
        await Assertions.Expect(outcome).ToHaveAttributeAsync("data-outcome", "Unchanged");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-link]")).ToHaveAttributeAsync("href", "/payments/" + id);
        await using var db = await Db.CreateDbContextAsync();
        Assert.Equal(1, await db.Set<Payment>().CountAsync(p => p.Id == id));
    }

    [Fact]
    public async Task EmptySearch_VoucherlyIdNotInThePortal_OffersTheLookupThatImportsIt()
    {
        var id = NewId();
        Sandbox.Put(VoucherlyImportCommandsTests.Order(id));
        var page = await SignedInStaffAsync("/payments?q=" + id);

        var lookup = page.Locator("[data-testid=voucherly-lookup]");
        await Assertions.Expect(page.Locator("[data-testid=payments-empty]")).ToContainTextAsync("No payments match.");
        await Assertions.Expect(lookup).ToContainTextAsync($"Look up {id} in Voucherly");
        await BrowserFixture.ScreenshotAsync(page, "voucherly-empty-search-lookup");

        await lookup.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-id]")).ToHaveValueAsync(id);
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-prefilled");
        await page.ClickAsync("[data-testid=voucherly-import-submit]");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-outcome]")).ToHaveAttributeAsync("data-outcome", "Created");

        // The list behind now finds it.
        await page.ClickAsync("[data-testid=voucherly-import-close]");
        await Assertions.Expect(page.Locator("[data-testid=payments-grid] [data-testid=payment-link]")).ToHaveTextAsync([id]);
        await Assertions.Expect(lookup).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EmptySearch_IdVoucherlyDoesNotKnowEither_SaysSo()
    {
        var id = NewId();
        var page = await SignedInStaffAsync("/payments?q=" + id);

        await page.ClickAsync("[data-testid=voucherly-lookup]");
        await page.ClickAsync("[data-testid=voucherly-import-submit]");

        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-outcome]")).ToHaveAttributeAsync("data-outcome", "NotFound");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-message]")).ToHaveTextAsync($"Voucherly has no payment {id}.");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-link]")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-not-found");
        Assert.Equal(0, await AuditCountAsync(id));
    }

    [Fact]
    public async Task ImportDialog_VoucherlyAnswersWithAnError_SaysTryAgainAndTheButtonStaysUsable()
    {
        var page = await SignedInStaffAsync("/payments");
        await page.ClickAsync("[data-testid=voucherly-import]");
        await page.FillAsync("[data-testid=voucherly-import-id]", VoucherlySandboxSeed.ServerError);
        await page.ClickAsync("[data-testid=voucherly-import-submit]");

        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-outcome]")).ToHaveAttributeAsync("data-outcome", "Unanswered");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-message]")).ToHaveTextAsync("Voucherly did not answer; try again.");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-detail]")).ToContainTextAsync("HTTP 500");
        await Assertions.Expect(page.Locator("[data-testid=voucherly-import-submit]")).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "voucherly-import-unanswered");
    }

    [Fact]
    public async Task EmptySearch_NameOrCardDigits_NoVoucherlyLookup()
    {
        var page = await SignedInStaffAsync("/payments?q=Nobody%20Anywhere");
        await Assertions.Expect(page.Locator("[data-testid=payments-empty]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=voucherly-lookup]")).ToHaveCountAsync(0);

        await BrowserFixture.OpenAsync(page, "/payments?q=0000");
        await Assertions.Expect(page.Locator("[data-testid=payments-empty]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=voucherly-lookup]")).ToHaveCountAsync(0);
    }
}
