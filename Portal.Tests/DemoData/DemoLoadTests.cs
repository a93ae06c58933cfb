using Microsoft.Data.Sqlite;
using Portal.DemoData;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.DemoData;

/// <summary>The two insertion paths (EF for small sets, raw ADO.NET for millions) and the seed command.</summary>
public sealed class DemoLoadTests
{
    private static readonly DateTime End = new(2026, 11, 22, 18, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task EfPath_AndBulkPath_SameSeed_StoreIdenticalRows()
    {
        using var viaEf = TestDatabase.CreateMigrated();
        using var viaBulk = TestDatabase.CreateMigrated();
        var spec = new DemoDataSpec(400, 11, End, Days: 10);

        var inserted = await DemoDataEfLoader.LoadIfEmptyAsync(viaEf, new DemoDataGenerator(spec), batchSize: 60);
        await using (var db = viaBulk.CreateDbContext())
            await new DemoDataBulkLoader($"Data Source={viaBulk.File}", db.Model).LoadAsync(new DemoDataGenerator(spec));
        SqliteConnection.ClearAllPools();

        Assert.Equal(400, inserted);
        foreach (var table in DemoTables.Names)
        {
            var ef = DemoTables.Dump(viaEf.File, table);
            var bulk = DemoTables.Dump(viaBulk.File, table);
            Assert.True(ef.Count > 0 || table == "WebhookDeliveries", $"{table} is empty");
            Assert.Equal(ef.Count, bulk.Count);
            for (var i = 0; i < ef.Count; i++)
                Assert.True(ef[i] == bulk[i], $"{table} row {i} differs:\n EF:   {ef[i]}\n bulk: {bulk[i]}");
        }
        Assert.True(DemoTables.Dump(viaEf.File, "WebhookDeliveries").Count > 0, "the last week should have webhook deliveries");
    }

    [Fact]
    public async Task BulkPath_SameSeedTwice_ByteForByteSameTables_DifferentSeed_Differs()
    {
        var first = await LoadAsync(new DemoDataSpec(300, 5, End, 20));
        var again = await LoadAsync(new DemoDataSpec(300, 5, End, 20));
        var other = await LoadAsync(new DemoDataSpec(300, 6, End, 20));

        foreach (var table in DemoTables.Names) Assert.Equal(first[table], again[table]);
        Assert.NotEqual(first["Payments"], other["Payments"]);
        Assert.Empty(first["Payments"].Intersect(other["Payments"]));
    }

    [Fact]
    public async Task EfLoader_TableNotEmpty_InsertsNothing()
    {
        using var database = TestDatabase.CreateMigrated();
        var spec = new DemoDataSpec(30, 1, End);
        Assert.Equal(30, await DemoDataEfLoader.LoadIfEmptyAsync(database, new DemoDataGenerator(spec)));
        Assert.Equal(0, await DemoDataEfLoader.LoadIfEmptyAsync(database, new DemoDataGenerator(spec with { Seed = 2 })));
        Assert.Equal(30, DemoTables.Scalar(database.File, "SELECT COUNT(*) FROM Payments"));
    }

    [Fact]
    public async Task SeedCommand_LoadsPayments_SecondRunWithSameSeed_Refuses()
    {
        var file = Path.Combine(TestPaths.NewDataDirectory("seed"), "portal.db");
        var arguments = SeedArguments.Parse(["--payments", "120", "--seed", "3", "--end", "2026-11-22T18:00:00Z", "--days", "5"], new FixedClock(DateTimeOffset.UnixEpoch));
        var output = new StringWriter();

        var exit = await PortalCommands.SeedAsync($"Data Source={file}", arguments, output);
        var again = await PortalCommands.SeedAsync($"Data Source={file}", arguments, output);

        Assert.Equal(0, exit);
        Assert.Equal(2, again);
        Assert.Equal(120, DemoTables.Scalar(file, "SELECT COUNT(*) FROM Payments"));
        Assert.Contains("rows/s", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("already loaded", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--seed", "3" }, "--payments is required")]
    [InlineData(new[] { "--payments", "ten" }, "--payments must be a whole number")]
    [InlineData(new[] { "--payments", "10", "--colour", "red" }, "Unknown argument --colour")]
    [InlineData(new[] { "--payments" }, "--payments needs a value")]
    public void SeedArguments_Invalid_ExplainWhy(string[] args, string message)
    {
        var error = Assert.Throws<FormatException>(() => SeedArguments.Parse(args, TimeProvider.System));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedArguments_Defaults_EndNowFromClockAndDefaultSeed()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var parsed = SeedArguments.Parse(["--payments", "1000000", "--data-dir", "/tmp/x"], new FixedClock(now));
        Assert.Equal(new SeedArguments(1_000_000, DemoDataSpec.DefaultSeed, now.UtcDateTime, 60, "/tmp/x"), parsed);
    }

    private static async Task<Dictionary<string, List<string>>> LoadAsync(DemoDataSpec spec)
    {
        using var database = TestDatabase.CreateMigrated();
        await using (var db = database.CreateDbContext())
            await new DemoDataBulkLoader($"Data Source={database.File}", db.Model).LoadAsync(new DemoDataGenerator(spec));
        SqliteConnection.ClearAllPools();
        return DemoTables.DumpAll(database.File);
    }
}
