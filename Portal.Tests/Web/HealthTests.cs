using System.Net;
using Microsoft.Data.Sqlite;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>/health/ready reports the database: 200 while it answers, 503 once it cannot be used.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task HealthReady_DatabaseFileReplacedByGarbage_Is503()
    {
        using var app = new PortalAppFactory();
        var client = FormSignIn.NewClient(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        BreakDatabase(app.DataDirectory, file => File.WriteAllText(file, "this is not an SQLite database, just text that fills the header page"));

        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task HealthReady_DatabaseFileReplacedByADirectory_Is503()
    {
        using var app = new PortalAppFactory();
        var client = FormSignIn.NewClient(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        BreakDatabase(app.DataDirectory, file => Directory.CreateDirectory(file));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>Closes the pooled connections (so the next check opens the file again), then swaps the file.</summary>
    private static void BreakDatabase(string dataDirectory, Action<string> replace)
    {
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(dataDirectory, "portal.db");
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            File.Delete(path);
        replace(file);
    }
}
