using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.DemoData;
using Portal.Domain.Recurring;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Recurring;

public sealed class DemoRecurringSeederTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    public void Dispose() => _db.Dispose();

    private DemoRecurringSeeder Seeder(bool seedDemoData = true, bool demoRecurring = true) => new(_db, RecurringTestData.Tokens,
        Options.Create(new PortalOptions { SeedDemoData = seedDemoData }), Options.Create(new DemoDataOptions { DemoRecurring = demoRecurring }), new Env(), new FixedClock(RecurringTestData.Utc(2027, 9, 15, 10)),
        NullLogger<DemoRecurringSeeder>.Instance);

    [Fact]
    public async Task SeedIfEmptyAsync_SchedulesInEveryStateWithRealHistory_OnceOnly()
    {
        Assert.Equal(0, await Seeder(seedDemoData: false).SeedIfEmptyAsync());
        Assert.Equal(0, await Seeder(demoRecurring: false).SeedIfEmptyAsync());

        var created = await Seeder().SeedIfEmptyAsync();

        Assert.Equal(10, created);
        await using var db = _db.CreateDbContext();
        var statuses = await db.Set<RecurringSchedule>().Select(s => s.Status).Distinct().ToListAsync();
        Assert.Equal(Enum.GetValues<RecurringScheduleStatus>().Order(), statuses.Order());
        var cycleStatuses = await db.Set<RecurringCycle>().Select(c => c.Status).Distinct().ToListAsync();
        Assert.Equal(new[] { RecurringCycleStatus.PendingVerification, RecurringCycleStatus.RetryScheduled, RecurringCycleStatus.Succeeded, RecurringCycleStatus.Failed }.Order(),
            cycleStatuses.Order());
        Assert.True(await db.Set<RecurringCycle>().CountAsync(c => c.PaymentId != null) >= 20);
        Assert.Equal(0, await Seeder().SeedIfEmptyAsync());
    }

    private sealed class Env : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "Portal";
        public string ContentRootPath { get; set; } = ".";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
