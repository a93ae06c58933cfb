using Bunit;
using Microsoft.Extensions.DependencyInjection;
using JobsPage = Portal.Components.Pages.Jobs.Jobs;
using Portal.Components.Pages.Users;
using Portal.Domain.Security;
using Portal.Jobs;
using Portal.Tests.Browser;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Components;

/// <summary>What the Users and Jobs pages offer depends on who is signed in; the services are the real ones on a fresh database.</summary>
public sealed class PageRoleTests : IAsyncLifetime
{
    private readonly PortalAppFactory _app = new();
    private readonly PortalComponentContext _ctx = new();

    public PageRoleTests()
    {
        _app.Settings["Jobs:Enabled"] = "false";
        _ctx.Services.AddSingleton(_app.Service<UserAdministration>());
        _ctx.Services.AddSingleton(_app.Service<UserQueries>());
        _ctx.Services.AddSingleton(_app.Service<JobQueries>());
        _ctx.Services.AddSingleton(_app.Service<JobScheduler>());
        _ctx.Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public async Task UsersPage_Admin_CannotLockThemselvesButCanLockOthers()
    {
        var admin = await BrowserUsers.AdminActorAsync(_app.Services);
        var other = await TestUsers.CreateUniqueAsync(_app.Services, "other", TestUsers.StaffPassword, Roles.Staff);
        _ctx.SignIn(admin.Name, admin.Id, Roles.Admin);
        _ctx.RenderProviders();

        var page = _ctx.Render<UsersPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=user-email]").Count), TimeSpan.FromSeconds(10));
        var own = Row(page, admin.Name);
        var theirs = Row(page, other.Email!);
        Assert.True(own.QuerySelector("[data-testid=lock-user]")!.HasAttribute("disabled"));
        Assert.Contains("(you)", own.TextContent, StringComparison.Ordinal);
        Assert.False(theirs.QuerySelector("[data-testid=lock-user]")!.HasAttribute("disabled"));
        Assert.False(own.QuerySelector("[data-testid=edit-roles]")!.HasAttribute("disabled"));
        Assert.False(page.Find("[data-testid=create-user]").HasAttribute("disabled"));
    }

    [Fact]
    public void JobsPage_Admin_SeesRunPauseAndTheHangfireLinkForEveryJob()
    {
        _ctx.SignIn("ada@shop.test", "ada", Roles.Admin);
        _ctx.RenderProviders();

        var page = _ctx.Render<JobsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=jobs-grid] tbody tr")), TimeSpan.FromSeconds(10));
        foreach (var job in JobCatalog.All)
        {
            Assert.Single(page.FindAll($"[data-testid=run-{job.Name}]"));
            Assert.Single(page.FindAll($"[data-testid=pause-{job.Name}]"));
        }
        Assert.Equal("/hangfire", page.Find("[data-testid=hangfire-link]").GetAttribute("href"));
    }

    [Fact]
    public void JobsPage_Finance_SeesTheJobsWithoutAnyAction()
    {
        _ctx.SignIn("fin@shop.test", "fin", Roles.Finance);
        _ctx.RenderProviders();

        var page = _ctx.Render<JobsPage>();

        page.WaitForAssertion(() => Assert.Equal(JobCatalog.All.Count, page.FindAll("[data-testid=jobs-grid] td[data-testid^=job-]").Count), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid^=run-]"));
        Assert.Empty(page.FindAll("[data-testid^=pause-]"));
        Assert.Empty(page.FindAll("[data-testid^=resume-]"));
        Assert.Empty(page.FindAll("[data-testid=hangfire-link]"));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<UsersPage> page, string email) =>
        page.FindAll("[data-testid=users-grid] tr").Single(r => r.QuerySelector("[data-testid=user-email]")?.TextContent == email);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _app.DisposeAsync();
    }
}
