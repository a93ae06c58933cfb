using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Domain.Security;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Browser;

/// <summary>The Users and Audit pages driven as an admin would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UsersBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task CreateUser_WeakThenStrongPassword_ShowsIdentityErrorThenAddsTheUser()
    {
        var email = $"new-{Guid.NewGuid():N}"[..16] + "@shop.test";
        var page = await SignedInAdminOnUsersAsync();

        await page.ClickAsync("[data-testid=create-user]");
        var dialog = page.Locator("[data-testid=create-user-dialog]");
        await dialog.WaitForAsync();
        await dialog.Locator("[data-testid=new-user-email]").FillAsync(email);
        await dialog.Locator("[data-testid=new-user-name]").FillAsync("Nina New");
        await dialog.Locator("[data-testid=role-Finance] input[type=checkbox]").CheckAsync();
        await dialog.Locator("[data-testid=new-user-password]").FillAsync("weakpass");
        await dialog.Locator("[data-testid=create-user-submit]").ClickAsync();

        // Identity's message appears under the password field, which is marked invalid.
        var passwordField = dialog.Locator(".mud-input-control", new() { Has = page.Locator("[data-testid=new-user-password]") });
        await Assertions.Expect(passwordField.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("at least 12 characters");
        await Assertions.Expect(dialog.Locator("[data-testid=new-user-password]")).ToHaveAttributeAsync("aria-invalid", "true");
        await BrowserFixture.ScreenshotAsync(page, "05-create-user-dialog");

        await dialog.Locator("[data-testid=new-user-password]").FillAsync("Nina-Str0ng-Passw0rd!");
        await dialog.Locator("[data-testid=create-user-submit]").ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await page.FillAsync("input[data-testid=user-search]", email);
        await page.ClickAsync("button:has-text('Search')");
        var row = page.Locator("[data-testid=users-grid] tr", new() { Has = page.Locator("[data-testid=user-email]", new() { HasText = email }) });
        await row.WaitForAsync();
        var rowText = await row.InnerTextAsync();
        Assert.Contains("Nina New", rowText, StringComparison.Ordinal);
        Assert.Contains("STAFF", rowText.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Contains("FINANCE", rowText.ToUpperInvariant(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LockUser_ConfirmThenUnlock_BadgeFollowsAndAuditShowsBoth()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff, "lockme");
        var page = await SignedInAdminOnUsersAsync();
        await page.FillAsync("input[data-testid=user-search]", email);
        await page.ClickAsync("button:has-text('Search')");
        var row = page.Locator("[data-testid=users-grid] tr", new() { Has = page.Locator("[data-testid=user-email]", new() { HasText = email }) });
        await row.WaitForAsync();

        await row.Locator("[data-testid=lock-user]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        await row.Locator("[data-testid=user-locked]").WaitForAsync();
        Assert.Contains("Locked by an admin", await row.Locator("[data-testid=user-locked]").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        await row.Locator("[data-testid=unlock-user]").ClickAsync();
        await row.Locator("[data-testid=lock-user]").WaitForAsync();
        Assert.Equal(0, await row.Locator("[data-testid=user-locked]").CountAsync());

        await page.GotoAsync("/audit?actor=" + Uri.EscapeDataString(PortalAppFactory.AdminEmail) + "&action=user.locked");
        var lockedRow = page.Locator("[data-testid=audit-grid] tr", new() { HasText = email });
        await lockedRow.WaitForAsync();
        await lockedRow.Locator("[data-testid=audit-expand]").ClickAsync();
        var detail = page.Locator("[data-testid=audit-detail]");
        await detail.WaitForAsync();
        Assert.Contains("until unlocked", await detail.InnerTextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditPage_BadUrlValues_ShowNoticeAndStillListEntries()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        await page.GotoAsync("/audit?from=not-a-date&to=2026-02-30");

        await page.Locator("[data-testid=audit-url-notice]").First.WaitForAsync();
        Assert.Equal(2, await page.Locator("[data-testid=audit-url-notice]").CountAsync());
        await page.Locator("[data-testid=audit-grid] [data-testid=audit-action]").First.WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=error-boundary]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditPage_ApplyFilters_PutsThemInTheUrlAndNarrowsTheList()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Finance, "audited");
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await page.GotoAsync("/audit");
        await page.Locator("[data-testid=audit-grid] [data-testid=audit-action]").First.WaitForAsync();

        await page.FillAsync("input[data-testid=filter-actor]", "admin@portal");
        await page.ClickAsync("[data-testid=filter-apply]");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("actor=admin%40portal"));
        var actors = page.Locator("[data-testid=audit-grid] [data-testid=audit-actor]");
        // The URL changes before the grid re-renders (the newest unfiltered rows are admin ones too):
        // wait until no other actor is left, then check the filtered page itself.
        await Assertions.Expect(actors.Filter(new() { HasNotText = PortalAppFactory.AdminEmail })).ToHaveCountAsync(0);
        await Assertions.Expect(actors.First).ToHaveTextAsync(PortalAppFactory.AdminEmail);
        Assert.All(await actors.AllInnerTextsAsync(), a => Assert.Equal(PortalAppFactory.AdminEmail, a));

        // A shared view: the same filters plus the action, from the address alone (other tests add admin entries too).
        await BrowserFixture.OpenAsync(page, "/audit?actor=admin%40portal&action=user.created");
        await page.Locator("[data-testid=audit-grid] tr", new() { HasText = email }).WaitForAsync();
        Assert.All(await page.Locator("[data-testid=audit-grid] [data-testid=audit-action]").AllInnerTextsAsync(), a => Assert.Equal("user.created", a));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChangeOwnPassword_WrongThenRight_ErrorThenChangedAndTheAdminSeesItInTheAudit()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff, "ownpw");
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);
        await page.ClickAsync("a[href='Account/Manage']");
        await page.ClickAsync("a[href='Account/Manage/ChangePassword']");

        const string newPassword = "Changed-Own-Passw0rd!";
        await page.FillAsync("#Input\\.OldPassword", "Not-My-Passw0rd!");
        await page.FillAsync("#Input\\.NewPassword", newPassword);
        await page.FillAsync("#Input\\.ConfirmPassword", newPassword);
        await page.ClickAsync("button:has-text('Update password')");
        await Assertions.Expect(page.Locator(".alert-danger")).ToContainTextAsync("Incorrect password");
        await BrowserFixture.ScreenshotAsync(page, "own-password-error");

        await page.FillAsync("#Input\\.OldPassword", BrowserUsers.Password);
        await page.FillAsync("#Input\\.NewPassword", newPassword);
        await page.FillAsync("#Input\\.ConfirmPassword", newPassword);
        await page.ClickAsync("button:has-text('Update password')");
        await Assertions.Expect(page.Locator(".alert-success")).ToContainTextAsync("Your password has been changed");
        await BrowserFixture.ScreenshotAsync(page, "own-password-changed");
        await page.Context.CloseAsync();

        var admin = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(admin, "/audit?actor=" + Uri.EscapeDataString(email));
        var rows = admin.Locator("[data-testid=audit-grid] [data-testid=audit-action]");
        // Newest first: the change, and before it the sign-in that opened the session.
        await Assertions.Expect(rows).ToHaveTextAsync([OwnAccountChanges.PasswordChanged, AuditedSignInManager.Actions.SignedIn]);
        await admin.Context.CloseAsync();
    }

    private async Task<IPage> SignedInAdminOnUsersAsync()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await page.GotoAsync("/users");
        await page.Locator("[data-testid=users-grid] [data-testid=user-email]").First.WaitForAsync();
        return page;
    }
}
