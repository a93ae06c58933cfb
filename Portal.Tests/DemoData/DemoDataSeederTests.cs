using Microsoft.Data.Sqlite;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.DemoData;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.DemoData;

/// <summary>First start in Development seeds demo payments once; a restart or a second host never doubles them.</summary>
public sealed class DemoDataSeederTests
{
    [Fact]
    public void FirstStart_SeedsConfiguredCount_RestartDoesNotDouble()
    {
        string dataDirectory;
        using (var first = Factory(null))
        {
            using var client = first.CreateClient();
            dataDirectory = first.DataDirectory;
        }
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(dataDirectory, "portal.db");
        Assert.Equal(45, DemoTables.Scalar(file, "SELECT COUNT(*) FROM Payments"));
        var transactions = DemoTables.Scalar(file, "SELECT COUNT(*) FROM PaymentTransactions");

        using (var restart = Factory(dataDirectory))
        {
            using var client = restart.CreateClient();
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(45, DemoTables.Scalar(file, "SELECT COUNT(*) FROM Payments"));
        Assert.Equal(transactions, DemoTables.Scalar(file, "SELECT COUNT(*) FROM PaymentTransactions"));
    }

    [Fact]
    public void TwoHostsAtOnce_SeedOnce()
    {
        using var server = new PortalServer();
        server.Settings["Portal:SeedDemoData"] = "true";
        server.Settings["Portal:DemoPayments"] = "30";
        server.Settings["Jobs:Enabled"] = "false";
        server.EnsureStarted(); // builds and starts two hosts on the same data folder
        Assert.Equal(30, DemoTables.Scalar(Path.Combine(server.DataDirectory, "portal.db"), "SELECT COUNT(*) FROM Payments"));
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public async Task Seeder_OutsideDevelopmentOrSwitchedOff_InsertsNothing(string environment, bool seedSetting)
    {
        using var database = TestDatabase.CreateMigrated();
        var seeder = new DemoDataSeeder(database, Options.Create(new PortalOptions { SeedDemoData = seedSetting }),
            Options.Create(new DemoDataOptions { DemoPayments = 10 }), new FakeEnvironment(environment),
            new FixedClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)), NullLogger<DemoDataSeeder>.Instance);

        Assert.Equal(0, await seeder.SeedIfEmptyAsync());
        Assert.Equal(0, DemoTables.Scalar(database.File, "SELECT COUNT(*) FROM Payments"));
    }

    [Fact]
    public async Task Seeder_Development_UsesClockAsEnd()
    {
        using var database = TestDatabase.CreateMigrated();
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var seeder = new DemoDataSeeder(database, Options.Create(new PortalOptions { SeedDemoData = true }),
            Options.Create(new DemoDataOptions { DemoPayments = 25, DemoDays = 3 }), new FakeEnvironment("Development"),
            new FixedClock(now), NullLogger<DemoDataSeeder>.Instance);

        Assert.Equal(25, await seeder.SeedIfEmptyAsync());
        Assert.Equal(0, await seeder.SeedIfEmptyAsync());
        Assert.Equal(0, DemoTables.Scalar(database.File, $"SELECT COUNT(*) FROM PaymentStatusChanges WHERE AtUtc > '{now.UtcDateTime:yyyy-MM-dd HH:mm:ss}'"));
        Assert.Equal(0, DemoTables.Scalar(database.File, $"SELECT COUNT(*) FROM Payments WHERE CreatedAtUtc < '{now.UtcDateTime.Date.AddDays(-2):yyyy-MM-dd HH:mm:ss}'"));
    }

    private static PortalAppFactory Factory(string? dataDirectory)
    {
        var factory = new PortalAppFactory();
        factory.Settings["Portal:SeedDemoData"] = "true";
        factory.Settings["Portal:DemoPayments"] = "45";
        factory.Settings["Jobs:Enabled"] = "false";
        if (dataDirectory is not null) factory.Settings["Portal:DataDirectory"] = dataDirectory;
        return factory;
    }

    private sealed class FakeEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Portal";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
