using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
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
        await Assertions.Expect(page.Locator("[data-testid^=resume-]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=hangfire-link]")).ToHaveCountAsync(0);
        await Assertions.Expect(grid).ToContainTextAsync("Webhook retry");

        // Finance reads the history all the same.
        await page.ClickAsync($"[data-testid=job-{StatusPollerJob.Name}]");
        await Assertions.Expect(page.Locator("[data-testid=job-history]")).ToBeVisibleAsync();
    }

    /// <summary>
    /// On a portal of its own (schedules far away, so only "Run now" runs the poller): the admin
    /// runs the poller and sees the run with its item count; pauses it; the portal restarts on
    /// the same data folder and the poller is still paused, on /jobs and on the dashboard.
    /// </summary>
    [Fact]
    public async Task Jobs_AdminRunsThePollerPausesItAndRestarts_RunCountedAndStillPaused()
    {
        const string job = StatusPollerJob.Name;
        var dataDirectory = TestPaths.NewDataDirectory("jobs-restart");
        const int open = 7;
        using (var first = NewServer(dataDirectory))
        {
            await SeedOpenAttemptsAsync(first, open);
            var page = await NewPageAsync(first);
            await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
            await BrowserFixture.OpenAsync(page, "/jobs");

            await page.ClickAsync($"[data-testid=run-{job}]");
            var history = page.Locator("[data-testid=job-history]");
            // The page refreshes itself: the finished run appears with the attempts it polled.
            await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(history.Locator("[data-testid=run-items]").First).ToHaveTextAsync(open.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(history.Locator("tbody tr").First).ToContainTextAsync("manual:" + PortalAppFactory.AdminEmail);
            await BrowserFixture.ScreenshotAsync(page, "jobs-poller-run");

            await page.ClickAsync($"[data-testid=pause-{job}]");
            await Assertions.Expect(page.Locator($"[data-testid=paused-{job}]")).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }

        using var second = NewServer(dataDirectory);
        var again = await NewPageAsync(second);
        await BrowserFixture.SignInAsync(again, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(again, "/jobs");
        await Assertions.Expect(again.Locator($"[data-testid=paused-{job}]")).ToContainTextAsync("Paused");
        await Assertions.Expect(again.Locator($"[data-testid=resume-{job}]")).ToBeVisibleAsync();
        Assert.True(await second.LiveServices.GetRequiredService<JobScheduler>().IsPausedAsync(job));
        // The run history survived the restart too.
        await again.ClickAsync($"[data-testid=job-{job}]");
        await Assertions.Expect(again.Locator("[data-testid=run-items]").First).ToHaveTextAsync(open.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await BrowserFixture.OpenAsync(again, "/");
        await Assertions.Expect(again.Locator($"[data-testid=paused-job-{job}]")).ToContainTextAsync("Status poller");
        await BrowserFixture.ScreenshotAsync(again, "dashboard-paused-jobs");
    }

    private static PortalServer NewServer(string dataDirectory)
    {
        var server = new PortalServer();
        server.Settings["Portal:DataDirectory"] = dataDirectory;
        server.Settings["Jobs:PollingIntervalSeconds"] = "1";
        foreach (var job in JobCatalog.All)
            server.Settings[$"Jobs:Cron:{job.Name}"] = "0 3 1 1 *";
        server.EnsureStarted();
        return server;
    }

    private async Task<IPage> NewPageAsync(PortalServer server)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Open eComCharge attempts the sandbox has never heard of: each is polled once and stays open.</summary>
    private static async Task SeedOpenAttemptsAsync(PortalServer server, int count)
    {
        await using var db = await server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        for (var i = 0; i < count; i++)
        {
            var at = DateTime.UtcNow.AddMinutes(-5);
            var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
            payment.AddLine(new NewPaymentLine { UnitAmount = 990 });
            payment.AddTransaction(new NewTransaction
            {
                CreatedAtUtc = at,
                Gateway = new GatewayRef("ecomcharge", "eComCharge"),
                Status = TransactionStatus.Requested,
                RequestedAmount = 990,
                ExternalId1 = "browser-" + Guid.NewGuid().ToString("N"),
            }, "test");
            db.Add(payment);
        }
        await db.SaveChangesAsync();
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
