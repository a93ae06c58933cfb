using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// The idle warning on a portal whose sessions time out after one minute (warning 50 s before):
/// it appears, "Stay signed in" renews the session on the server, and doing nothing ends it.
/// </summary>
public sealed class SessionTimeoutBrowserTests : IAsyncLifetime
{
    private readonly PortalServer _server = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _server.Settings["Security:Sessions:IdleTimeoutMinutes"] = "1";
        _server.Settings["Security:Sessions:WarningSeconds"] = "50";
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
    public async Task IdleSession_WarnsStaySignedInRenewsThenIdleEndsIt()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/payments");

        var warning = page.Locator("[data-testid=session-warning]");
        await Assertions.Expect(warning).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await Assertions.Expect(page.Locator("[data-testid=session-warning-text]")).ToHaveTextAsync("You will be signed out in 1 minute because of inactivity.");

        await page.ClickAsync("[data-testid=session-stay]");
        await Assertions.Expect(warning).ToBeHiddenAsync(new() { Timeout = 15_000 });

        // Nothing more: the warning comes back, and then the server ends the session (sign-in page).
        await Assertions.Expect(warning).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await page.WaitForURLAsync("**/Account/Login**", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=login-submit]")).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await _server.DisposeAsync();
    }
}
