using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Jobs;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Jobs;

/// <summary>The jobs on Hangfire in a real host: recurring registrations from settings, trigger now, pause across a restart.</summary>
public sealed class HangfireJobsTests
{
    private const string Refunds = RefundService.VerificationJobName;

    private static PortalAppFactory App(string? dataDirectory = null, bool enabled = true, string everySeconds = "*/1 * * * * *")
    {
        var app = new PortalAppFactory();
        if (dataDirectory is not null) app.Settings["Portal:DataDirectory"] = dataDirectory;
        app.Settings["Jobs:Enabled"] = enabled ? "true" : "false";
        app.Settings["Jobs:PollingIntervalSeconds"] = "1";
        app.Settings[$"Jobs:Cron:{Refunds}"] = everySeconds;
        // The other jobs stay out of the way: once a day, at a time no test runs.
        app.Settings[$"Jobs:Cron:{StatusPollerJob.Name}"] = "0 3 1 1 *";
        app.Settings[$"Jobs:Cron:{VoucherlySyncJob.Name}"] = "0 3 1 1 *";
        return app;
    }

    private static async Task<int> ScheduledRunsAsync(PortalAppFactory app, string jobName)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<JobRun>().CountAsync(r => r.JobName == jobName && r.Trigger == JobScheduler.ScheduleTrigger);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Not within {seconds} s: {what}");
            await Task.Delay(200);
        }
    }

    private static IReadOnlyList<RecurringJobDto> Recurring(PortalAppFactory app)
    {
        using var connection = app.Service<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    [Fact]
    public async Task RecurringJob_CronFromSettings_RunsOnItsScheduleAndIsRecorded()
    {
        using var app = App();
        using var _ = app.CreateClient();

        // Every second from Jobs:Cron; the catalog's default ("30 * * * * *") could run it at most once in this window.
        await WaitUntilAsync(async () => await ScheduledRunsAsync(app, Refunds) >= 2, "two scheduled refund-verification runs");

        var registered = Assert.Single(Recurring(app), r => r.Id == Refunds);
        Assert.Equal("*/1 * * * * *", registered.Cron);
        Assert.NotNull(registered.NextExecution);
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var run = await db.Set<JobRun>().FirstAsync(r => r.JobName == Refunds);
        Assert.Equal(JobRunOutcome.Succeeded, run.Outcome);
    }

    [Fact]
    public async Task SchedulesOff_NoRecurringRegistration_RunNowStillRuns()
    {
        using var app = App(enabled: false);
        using var _ = app.CreateClient();
        var scheduler = app.Service<JobScheduler>();

        Assert.Empty(Recurring(app));
        Assert.All(await app.Service<JobQueries>().GetSummariesAsync(), s => Assert.Null(s.NextRunUtc));

        await scheduler.TriggerNowAsync(Refunds, Actor.User("u-1", "ann@shop.test"));

        await WaitUntilAsync(async () =>
        {
            await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Set<JobRun>().AnyAsync(r => r.JobName == Refunds && r.Trigger == "manual:ann@shop.test" && r.Outcome == JobRunOutcome.Succeeded);
        }, "the manual run");
        await using var read = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await read.Set<AuditEntry>().AnyAsync(a => a.Action == "job.triggered" && a.ResourceId == Refunds));
        Assert.Equal(0, await ScheduledRunsAsync(app, Refunds));
    }

    [Fact]
    public async Task Pause_SurvivesARestart_JobNotRegisteredNorRunUntilResumed()
    {
        var data = TestPaths.NewDataDirectory();
        var admin = Actor.User("u-admin", "admin@shop.test");
        using (var first = App(data))
        {
            using var _ = first.CreateClient();
            Assert.True(await first.Service<JobScheduler>().PauseAsync(Refunds, admin));
            Assert.False(await first.Service<JobScheduler>().PauseAsync(Refunds, admin));
            Assert.DoesNotContain(Recurring(first), r => r.Id == Refunds);
        }

        using var second = App(data);
        using var client = second.CreateClient();
        Assert.DoesNotContain(Recurring(second), r => r.Id == Refunds);
        var summary = Assert.Single(await second.Service<JobQueries>().GetSummariesAsync(), s => s.Job.Name == Refunds);
        Assert.Equal(("admin@shop.test", false, (DateTime?)null), (summary.Pause?.PausedBy, summary.Scheduled, summary.NextRunUtc));
        var before = await ScheduledRunsAsync(second, Refunds);
        await Task.Delay(3000);
        Assert.Equal(before, await ScheduledRunsAsync(second, Refunds));

        Assert.True(await second.Service<JobScheduler>().ResumeAsync(Refunds, admin));
        Assert.Contains(Recurring(second), r => r.Id == Refunds);
        await WaitUntilAsync(async () => await ScheduledRunsAsync(second, Refunds) > before, "a scheduled run after resume");

        await using var db = await second.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var audit = await db.Set<AuditEntry>().Where(a => a.ResourceId == Refunds).Select(a => a.Action).ToListAsync();
        Assert.Equal(["job.paused", "job.resumed"], audit.Where(a => a != "job.triggered").OrderBy(a => a));
    }

    [Fact]
    public async Task HangfireInvoker_ScheduledRunOfAPausedJob_Skipped()
    {
        using var app = App(enabled: false);
        using var _ = app.CreateClient();
        await app.Service<JobScheduler>().PauseAsync(Refunds, Actor.User("u-admin", "admin@shop.test"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var invoker = scope.ServiceProvider.GetRequiredService<HangfireJobInvoker>();
            await invoker.RunAsync(Refunds, JobScheduler.ScheduleTrigger, default);
            await invoker.RunAsync(Refunds, "manual:ann@shop.test", default);
        }

        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(["manual:ann@shop.test"], await db.Set<JobRun>().Where(r => r.JobName == Refunds).Select(r => r.Trigger).ToListAsync());
    }

    [Fact]
    public async Task HangfireInvoker_JobBusyElsewhere_ScheduledRunSkipsButRunNowWaitsForIt()
    {
        using var app = App(enabled: false);
        using var _ = app.CreateClient();
        var dbs = app.Service<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Set<JobLease>().Where(l => l.JobName == Refunds)
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, "other-instance:1").SetProperty(l => l.LeaseUntilUtc, DateTime.UtcNow.AddMinutes(10)));

        await using var scope = app.Services.CreateAsyncScope();
        var invoker = scope.ServiceProvider.GetRequiredService<HangfireJobInvoker>();
        await invoker.RunAsync(Refunds, JobScheduler.ScheduleTrigger, default);
        var manual = invoker.RunAsync(Refunds, "manual:ann@shop.test", default);
        await Task.Delay(1500);
        Assert.False(manual.IsCompleted);
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Set<JobLease>().Where(l => l.JobName == Refunds).ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, (string?)null));
        await manual.WaitAsync(TimeSpan.FromSeconds(20));

        await using var read = await dbs.CreateDbContextAsync();
        Assert.Equal(["manual:ann@shop.test"], await read.Set<JobRun>().Where(r => r.JobName == Refunds).Select(r => r.Trigger).ToListAsync());
    }

    [Fact]
    public void InvalidCron_StartupFailsNamingTheSetting()
    {
        using var app = App(everySeconds: "every minute please");

        Assert.Contains($"Jobs:Cron:{Refunds}", app.StartupErrorMessages());
    }

    [Fact]
    public void UnknownJobInCronSettings_StartupFails()
    {
        using var app = App();
        app.Settings["Jobs:Cron:no-such-job"] = "* * * * *";

        Assert.Contains("Jobs:Cron names a job that does not exist", app.StartupErrorMessages());
    }
}

/// <summary>Hangfire's dashboard behind the portal's cookie: Admin only.</summary>
public sealed class HangfireDashboardTests : IDisposable
{
    private readonly PortalServer _server = new();

    public HangfireDashboardTests()
    {
        _server.Settings["Jobs:Enabled"] = "true";
        _server.EnsureStarted();
    }

    [Fact]
    public async Task Dashboard_Admin_RendersWithTheRecurringJobs()
    {
        using var client = await TestUsers.SignedInClientAsync(_server.BaseAddress, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        var overview = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var html = await overview.Content.ReadAsStringAsync();
        Assert.Contains("Realtime Graph", html);
        Assert.Contains("Recurring Jobs", html);

        var recurring = await client.GetStringAsync("/hangfire/recurring");
        Assert.All(JobCatalog.All, j => Assert.Contains(j.Name, recurring));
    }

    [Fact]
    public async Task Dashboard_Staff_403WithoutDashboard()
    {
        await TestUsers.EnsureUserAsync(_server.LiveServices, TestUsers.StaffEmail, TestUsers.StaffPassword, Roles.Staff);
        using var client = await TestUsers.SignedInClientAsync(_server.BaseAddress, TestUsers.StaffEmail, TestUsers.StaffPassword);

        foreach (var path in new[] { "/hangfire", "/hangfire/recurring", "/hangfire/stats" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Realtime Graph", body);
            Assert.DoesNotContain("status-poller", body);
        }
    }

    [Fact]
    public async Task Dashboard_Finance_403()
    {
        var finance = await TestUsers.CreateUniqueAsync(_server.LiveServices, "finance", TestUsers.StaffPassword, Roles.Finance);
        using var client = await TestUsers.SignedInClientAsync(_server.BaseAddress, finance.Email!, TestUsers.StaffPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_Anonymous_RedirectedToSignIn()
    {
        using var client = TestUsers.CookieClient(_server.BaseAddress);

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("Realtime Graph", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _server.Dispose();
}
