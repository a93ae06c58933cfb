using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Audit;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Jobs;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>The Jobs page on Hangfire: who sees the actions, pause and resume.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobsBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Jobs_Finance_SeesScheduleAndRunsWithoutActionButtons()
    {
        var email = await BrowserUsers.CreateAsync(fixture, Roles.Finance);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, BrowserUsers.Password);
        await BrowserFixture.OpenAsync(page, "/jobs");

        var grid = page.Locator("[data-testid=jobs-grid]");
        await Assertions.Expect(grid).ToContainTextAsync("Status poller");
        await Assertions.Expect(grid).ToContainTextAsync("Refund verification");
        await Assertions.Expect(page.Locator($"[data-testid=cron-{StatusPollerJob.Name}]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("[data-testid^=run-]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid^=pause-]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=hangfire-link]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Hangfire_AdminOpensTheDashboard_StaffGetsNone()
    {
        var admin = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(admin, "/jobs");
        // The Jobs page links to the dashboard (in a new tab); open the same address here.
        Assert.Equal("/hangfire", await admin.Locator("[data-testid=hangfire-link]").GetAttributeAsync("href"));
        var response = await admin.GotoAsync("/hangfire");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        // Hangfire's own dashboard: its navigation bar and its realtime graph.
        await Assertions.Expect(admin.Locator(".navbar")).ToContainTextAsync("Recurring Jobs");
        await Assertions.Expect(admin.Locator("body")).ToContainTextAsync("Realtime Graph");
        await BrowserFixture.ScreenshotAsync(admin, "hangfire-admin");
        await admin.Context.CloseAsync();

        var email = await BrowserUsers.CreateAsync(fixture, Roles.Staff, "nohangfire");
        var staff = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, email, BrowserUsers.Password);
        var refused = await staff.GotoAsync("/hangfire");
        Assert.NotNull(refused);
        Assert.Equal(403, refused.Status);
        Assert.Equal(0, await staff.Locator(".navbar").CountAsync());
        Assert.DoesNotContain("Recurring Jobs", await staff.ContentAsync(), StringComparison.Ordinal);
        await staff.Context.CloseAsync();
    }

    [Fact]
    public async Task Jobs_AdminPausesThenResumes_ShownAsPausedAcrossReloadAndAudited()
    {
        const string job = RefundService.VerificationJobName;
        var scheduler = fixture.Server.LiveServices.GetRequiredService<JobScheduler>();
        try
        {
            var page = await fixture.NewPageAsync();
            await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
            await BrowserFixture.OpenAsync(page, "/jobs");

            await page.ClickAsync($"[data-testid=pause-{job}]");
            await Assertions.Expect(page.Locator($"[data-testid=paused-{job}]")).ToContainTextAsync("Paused");
            await Assertions.Expect(page.Locator($"[data-testid=resume-{job}]")).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, "jobs-paused");

            await BrowserFixture.OpenAsync(page, "/jobs");
            await Assertions.Expect(page.Locator($"[data-testid=paused-{job}]")).ToBeVisibleAsync();
            Assert.True(await scheduler.IsPausedAsync(job));

            await page.ClickAsync($"[data-testid=resume-{job}]");
            await Assertions.Expect(page.Locator($"[data-testid=paused-{job}]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator($"[data-testid=pause-{job}]")).ToBeVisibleAsync();
            Assert.False(await scheduler.IsPausedAsync(job));

            await using var db = await fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var actions = await db.Set<AuditEntry>()
                .Where(a => a.ResourceType == "job" && a.ResourceId == job && a.ActorName == PortalAppFactory.AdminEmail)
                .Select(a => a.Action).ToListAsync();
            Assert.Contains("job.paused", actions);
            Assert.Contains("job.resumed", actions);
        }
        finally
        {
            await scheduler.ResumeAsync(job, Actor.User("test", "test"));
        }
    }
}
