using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components.Pages.Users;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Tests.Browser;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Components;

/// <summary>
/// The user dialogs as an admin meets them: opened through <see cref="IDialogService"/>, typed into,
/// submitted; the rules are the real <see cref="UserAdministration"/> on a fresh SQLite database.
/// </summary>
public sealed class UserDialogTests : IAsyncLifetime
{
    private readonly PortalAppFactory _app = new();
    private readonly PortalComponentContext _ctx = new();

    public UserDialogTests()
    {
        _app.Settings["Jobs:Enabled"] = "false";
        _ctx.Services.AddSingleton(_app.Service<UserAdministration>());
    }

    [Fact]
    public async Task CreateUserDialog_EmptySubmit_MessageUnderEachFieldAndStaysOpen()
    {
        var (provider, dialog) = await OpenCreateAsync();

        provider.Find("form[data-testid=create-user-dialog]").Submit();

        provider.WaitForAssertion(() => Assert.Equal("Enter the user's email.", FieldError(provider, "new-user-email")));
        Assert.Equal("Enter a display name.", FieldError(provider, "new-user-name"));
        Assert.Equal("Enter an initial password.", FieldError(provider, "new-user-password"));
        Assert.Equal("true", provider.Find("input[data-testid=new-user-email]").GetAttribute("aria-invalid"));
        Assert.Empty(provider.FindAll("[data-testid=dialog-errors]"));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task CreateUserDialog_NoRoleChosen_RolesMessageAsAnAlert()
    {
        var (provider, dialog) = await OpenCreateAsync();
        provider.Find("input[data-testid=new-user-email]").Input("nina@shop.test");
        provider.Find("input[data-testid=new-user-name]").Input("Nina");
        provider.Find("input[data-testid=new-user-password]").Input("Nina-Str0ng-Passw0rd!");
        provider.Find("[data-testid=role-Staff] input[type=checkbox]").Change(false);

        provider.Find("form[data-testid=create-user-dialog]").Submit();

        provider.WaitForAssertion(() => Assert.Contains("Choose at least one role.", provider.Find("[data-testid=dialog-errors] [role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Equal("", FieldError(provider, "new-user-email"));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task CreateUserDialog_WeakPassword_IdentityMessageUnderThePasswordField()
    {
        var (provider, dialog) = await OpenCreateAsync();
        provider.Find("input[data-testid=new-user-email]").Input($"weak-{Guid.NewGuid():N}"[..12] + "@shop.test");
        provider.Find("input[data-testid=new-user-name]").Input("Weak Password");
        provider.Find("input[data-testid=new-user-password]").Input("weakpass");

        provider.Find("form[data-testid=create-user-dialog]").Submit();

        provider.WaitForAssertion(() => Assert.Contains("at least 12 characters", FieldError(provider, "new-user-password"), StringComparison.Ordinal));
        Assert.Equal("", FieldError(provider, "new-user-email"));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task CreateUserDialog_ValidInput_ClosesWithTheTrimmedEmail()
    {
        var email = $"ok-{Guid.NewGuid():N}"[..12] + "@shop.test";
        var (provider, dialog) = await OpenCreateAsync();
        provider.Find("input[data-testid=new-user-email]").Input("  " + email + " ");
        provider.Find("input[data-testid=new-user-name]").Input("Oskar Ok");
        provider.Find("[data-testid=role-Finance] input[type=checkbox]").Change(true);
        provider.Find("input[data-testid=new-user-password]").Input("Oskar-Str0ng-Passw0rd!");

        provider.Find("form[data-testid=create-user-dialog]").Submit();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result!.Canceled);
        Assert.Equal(email, result.Data);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=create-user-dialog]")));
        var created = await _app.Service<UserQueries>().ListAsync(new UserListRequest(email, 0, 5));
        Assert.Equal([Roles.Staff, Roles.Finance], created.Rows.Single().Roles);
    }

    [Fact]
    public async Task ResetPasswordDialog_WeakPassword_MessageUnderTheFieldAndStaysOpen()
    {
        var actor = await BrowserUsers.AdminActorAsync(_app.Services);
        var user = new UserRow(actor.Id, PortalAppFactory.AdminEmail, "Admin", [Roles.Admin], null, 0, false, DateTime.UtcNow);
        var provider = _ctx.RenderProviders();
        var service = _ctx.Services.GetRequiredService<IDialogService>();
        var dialog = await provider.InvokeAsync(() => service.ShowAsync<ResetPasswordDialog>("Reset password",
            new DialogParameters<ResetPasswordDialog> { { d => d.Actor, actor }, { d => d.User, user } }));

        provider.Find("input[data-testid=reset-password-value]").Input("short");
        provider.Find("form[data-testid=reset-password-dialog]").Submit();

        provider.WaitForAssertion(() => Assert.Contains("at least 12 characters", FieldError(provider, "reset-password-value"), StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public void RoleChoices_OneCheckboxPerRole_SelectedOnesChecked_ClickReportsTheNewSet()
    {
        IReadOnlyCollection<string>? reported = null;
        var choices = _ctx.Render<RoleChoices>(p => p
            .Add(c => c.Selected, new[] { Roles.Finance })
            .Add(c => c.SelectedChanged, (IReadOnlyCollection<string> next) => reported = next));

        foreach (var role in Roles.All)
            Assert.Single(choices.FindAll($"[data-testid=role-{role}] input[type=checkbox]"));
        Assert.Equal([Roles.Finance], Roles.All.Where(r => choices.Find($"[data-testid=role-{r}] input").HasAttribute("checked")
            || choices.Find($"[data-testid=role-{r}] input").GetAttribute("aria-checked") == "true"));

        choices.Find($"[data-testid=role-{Roles.Admin}] input").Change(true);

        Assert.Equal([Roles.Admin, Roles.Finance], reported);
    }

    [Fact]
    public void ErrorList_Messages_AreAnEncodedAlertList()
    {
        var list = _ctx.Render<ErrorList>(p => p.Add(e => e.Errors, new[] { "Passwords must be at least 12 characters.", "<b>not markup</b>" }));

        var items = list.FindAll("[role=alert] li");
        Assert.Equal(["Passwords must be at least 12 characters.", "<b>not markup</b>"], items.Select(i => i.TextContent));
        Assert.Empty(list.FindAll("b"));
        Assert.Equal("dialog-errors", list.Find(".portal-dialog-errors").GetAttribute("data-testid"));
    }

    [Fact]
    public void ErrorList_NoMessages_RendersNothing()
    {
        var list = _ctx.Render<ErrorList>(p => p.Add(e => e.Errors, Array.Empty<string>()));

        Assert.Equal("", list.Markup.Trim());
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenCreateAsync()
    {
        var actor = await BrowserUsers.AdminActorAsync(_app.Services);
        var provider = _ctx.RenderProviders();
        var service = _ctx.Services.GetRequiredService<IDialogService>();
        var dialog = await provider.InvokeAsync(() => service.ShowAsync<CreateUserDialog>("New user",
            new DialogParameters<CreateUserDialog> { { d => d.Actor, actor } }));
        provider.WaitForElement("form[data-testid=create-user-dialog]");
        return (provider, dialog);
    }

    /// <summary>The validation text MudBlazor shows under the field holding the input <paramref name="testId"/> ("" when none).</summary>
    private static string FieldError(IRenderedComponent<MudDialogProvider> provider, string testId)
    {
        var control = provider.FindAll(".mud-input-control").Single(c => c.QuerySelector($"input[data-testid={testId}]") is not null);
        return control.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _app.DisposeAsync();
    }
}
