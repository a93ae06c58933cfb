using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Components.Layout;
using Portal.Domain.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>The shell, sign-in, sign-out, lockout, role-based menu and theme, driven in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FoundationBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task SignIn_DemoAdmin_SeesShellAndReachesUsersAndAuditThroughTheMenu()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.WaitForSelectorAsync("[data-testid=login-submit]");
        await BrowserFixture.ScreenshotAsync(page, "01-login");

        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        Assert.Contains(PortalAppFactory.AdminEmail, await page.InnerTextAsync("[data-testid=current-user]"), StringComparison.Ordinal);
        var nav = page.Locator("[data-testid=nav]");
        await nav.Locator("a[href='/users']").WaitForAsync();
        Assert.Equal(1, await nav.Locator("a[href='/audit']").CountAsync());
        Assert.Equal(1, await nav.Locator("a[href='/']").CountAsync());
        await page.WaitForSelectorAsync("[data-testid=dashboard-tiles]");
        await BrowserFixture.ScreenshotAsync(page, "03-dashboard-admin");

        await nav.Locator("a[href='/users']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await page.Locator("[data-testid=users-grid] [data-testid=user-email]", new() { HasText = PortalAppFactory.AdminEmail }).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "04-users");

        await nav.Locator("a[href='/audit']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audit$"));
        await page.Locator("[data-testid=audit-grid] [data-testid=audit-action]").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "06-audit");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignOut_EndsAtLoginAndProtectedPageAsksToSignInAgain()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(new Regex("/Account/Login$"));
        await page.WaitForSelectorAsync("[data-testid=login-submit]");

        await page.GotoAsync("/users");
        await page.WaitForURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2Fusers$"));
        Assert.Equal(0, await page.Locator("[data-testid=current-user]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysOnLogin()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        await SubmitLoginAsync(page, PortalAppFactory.AdminEmail, "Wrong-Password-123!");

        var error = await page.WaitForSelectorAsync("[data-testid=login-error]");
        Assert.Contains("not right", await error!.InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/Account/Login", page.Url, StringComparison.Ordinal);
        Assert.Equal(PortalAppFactory.AdminEmail, await page.InputValueAsync("#Input\\.Email"));
        await BrowserFixture.ScreenshotAsync(page, "02-login-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightPassword()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff, "lockout");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SubmitLoginAsync(page, email, "Wrong-Password-" + attempt + "!");
            await page.WaitForSelectorAsync("[data-testid=login-error]");
        }
        await SubmitLoginAsync(page, email, "Wrong-Password-5!");
        await page.WaitForURLAsync(new Regex("/Account/Lockout$"));
        await page.WaitForSelectorAsync("[data-testid=lockout]");

        await page.GotoAsync("/Account/Login");
        await SubmitLoginAsync(page, email, BrowserUsers.Password);
        await page.WaitForURLAsync(new Regex("/Account/Lockout$"));
        Assert.Equal(0, await page.Locator("[data-testid=current-user]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Staff_SeesNoAdminMenuAndUsersPageIsDenied()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);

        var nav = page.Locator("[data-testid=nav]");
        await nav.Locator("a[href='/']").WaitForAsync();
        Assert.Equal(0, await nav.Locator("a[href='/users']").CountAsync());
        Assert.Equal(0, await nav.Locator("a[href='/audit']").CountAsync());

        await page.GotoAsync("/users");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Not available to your role" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=users-grid]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=create-user]").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "07-staff-access-denied");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThemeSwitch_Click_SwitchesToMaterialDarkAndBack()
    {
        var light = (Rgb(PortalTheme.Theme.PaletteLight.Background), Rgb(PortalTheme.Theme.PaletteLight.AppbarBackground));
        var dark = (Rgb(PortalTheme.Theme.PaletteDark.Background), Rgb(PortalTheme.Theme.PaletteDark.AppbarBackground));
        Assert.NotEqual(light, dark);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await GotoInteractiveUsersAsync(page);
        await ExpectThemeAsync(page, "light", light);

        await page.ClickAsync("[data-testid=theme-switch]");
        await ExpectThemeAsync(page, "dark", dark);
        Assert.Equal("dark", await ThemeCookieAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "08-dark-theme");

        // The choice is remembered in a cookie: a full reload keeps the dark theme from the first paint.
        await page.ReloadAsync();
        await ExpectThemeAsync(page, "dark", dark);
        await GotoInteractiveUsersAsync(page);

        await page.ClickAsync("[data-testid=theme-switch]");
        await ExpectThemeAsync(page, "light", light);
        Assert.Equal("light", await ThemeCookieAsync(page));
        await page.Context.CloseAsync();
    }

    /// <summary>The layout says which theme it is in, and the page really is painted with that palette's background.</summary>
    private static async Task ExpectThemeAsync(IPage page, string theme, (string Background, string Appbar) palette)
    {
        await Assertions.Expect(page.Locator(".portal-layout")).ToHaveAttributeAsync("data-theme", theme);
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", palette.Background);
        await Assertions.Expect(page.Locator(".mud-appbar")).ToHaveCSSAsync("background-color", palette.Appbar);
    }

    private static async Task<string?> ThemeCookieAsync(IPage page) =>
        (await page.Context.CookiesAsync()).SingleOrDefault(c => c.Name == PortalTheme.CookieName)?.Value;

    private static string Rgb(MudBlazor.Utilities.MudColor color) => $"rgb({color.R}, {color.G}, {color.B})";

    private static async Task SubmitLoginAsync(IPage page, string email, string password)
    {
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>
    /// Opens /users and waits for its grid, which renders only after the first interactive render:
    /// from then on the circuit is connected and clicks reach their handlers.
    /// </summary>
    private static async Task GotoInteractiveUsersAsync(IPage page)
    {
        await page.GotoAsync("/users");
        await page.Locator("[data-testid=users-grid] [data-testid=user-email]").First.WaitForAsync();
    }
}
