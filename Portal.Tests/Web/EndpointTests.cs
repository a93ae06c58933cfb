using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Web;

/// <summary>What the portal answers over HTTP before and after sign-in (in-memory host).</summary>
public sealed class EndpointTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/payments")]
    [InlineData("/users")]
    [InlineData("/audit")]
    public async Task Get_Anonymous_RedirectsToLoginWithReturnUrl(string path)
    {
        var client = FormSignIn.NewClient(app);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(path), location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogin_Anonymous_ShowsTheForm()
    {
        var response = await FormSignIn.NewClient(app).GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-submit\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthLive_Anonymous_Is200()
    {
        var response = await FormSignIn.NewClient(app).GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthReady_DatabaseAnswers_Is200Healthy()
    {
        var response = await FormSignIn.NewClient(app).GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaticCss_Anonymous_Is200()
    {
        var response = await FormSignIn.NewClient(app).GetAsync("/css/portal.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(".portal-page-header", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLogin_WrongPassword_StaysOnLoginWithError()
    {
        var client = FormSignIn.NewClient(app);

        var response = await FormSignIn.PostLoginAsync(client, PortalAppFactory.AdminEmail, "Not-The-Password-1!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task GetUsers_Admin_Is200WithThePage()
    {
        var client = await FormSignIn.SignedInClientAsync(app, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1 class=\"portal-page-title\">Users</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users")]
    [InlineData("/audit")]
    public async Task GetAdminPage_Staff_RedirectsToAccessDenied(string path)
    {
        var email = $"staff-{Guid.NewGuid():N}@shop.test";
        await CreateUserAsync(email, Roles.Staff);
        var client = await FormSignIn.SignedInClientAsync(app, email, StaffPassword);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task GetAudit_BadQueryValues_Is200WithNotice()
    {
        var client = await FormSignIn.SignedInClientAsync(app, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        var response = await client.GetAsync("/audit?from=yesterday&to=2026-99-99&action=" + new string('x', 300));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"audit-url-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("is not a date like", html, StringComparison.Ordinal);
    }

    private const string StaffPassword = "Staff-Passw0rd!";

    private async Task CreateUserAsync(string email, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(PortalAppFactory.AdminEmail);
        var result = await app.Service<UserAdministration>().CreateAsync(Actor.User(admin!.Id, admin.Email!),
            new NewUser(email, "Test " + role, [role], StaffPassword));
        Assert.True(result.Succeeded, result.ErrorSummary);
    }
}
