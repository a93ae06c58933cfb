using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Browser;

/// <summary>With the second factor required, an admin without an authenticator app is told so in the refund dialog, with a link to set it up.</summary>
public sealed class MfaRefundBrowserTests : IAsyncLifetime
{
    private const string Password = "Mfa-Browser-Passw0rd!";
    private readonly PortalServer _server = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _server.Settings["Security:RequireMfaForMoneyMovers"] = "true";
        _server.EnsureStarted();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
    }

    [Fact]
    public async Task RefundDialog_AdminWithoutAuthenticator_RefusedWithALinkToTheSetupPage()
    {
        var admin = await TestUsers.CreateUniqueAsync(_server.LiveServices, "nomfa", Password, Roles.Admin);
        var (paymentId, transactionId) = await SeedConfirmedAsync(_server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>(),
            5_000, DateTime.UtcNow.AddMinutes(-5));
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, admin.Email!, Password);
        await BrowserFixture.OpenAsync(page, $"/payments/{paymentId}");

        await page.ClickAsync($"[data-testid=refund-open-{transactionId}]");
        await Assertions.Expect(page.Locator("[data-testid=refund-figures]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=refund-reason]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "Duplicate" }).First.ClickAsync();
        await page.ClickAsync("[data-testid=refund-continue]");
        await page.ClickAsync("[data-testid=refund-submit]");

        await Assertions.Expect(page.Locator("[data-testid=refund-error]")).ToContainTextAsync("authenticator app");
        var link = page.Locator("[data-testid=refund-mfa-setup]");
        await Assertions.Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await page.WaitForURLAsync("**/Account/Manage/EnableAuthenticator");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await _server.DisposeAsync();
    }
}
