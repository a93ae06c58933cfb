using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A real SQLite file with the hand-written migrations applied, for domain and query tests.
/// Hands out short-lived contexts, like the app does.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<PortalDbContext>, IDbContextFactory<DbContext>, IDisposable
{
    private readonly DbContextOptions<PortalDbContext> _options;

    private TestDatabase(string file)
    {
        File = file;
        _options = Options(file);
    }

    public string File { get; }

    public static DbContextOptions<PortalDbContext> Options(string file) => new DbContextOptionsBuilder<PortalDbContext>()
        .UsePortalSqlite($"Data Source={file};Pooling=False;Default Timeout=30")
        .Options;

    public static TestDatabase CreateMigrated()
    {
        var db = new TestDatabase(Path.Combine(TestPaths.NewDataDirectory("db"), "portal.db"));
        using var context = db.CreateDbContext();
        context.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
        context.Database.Migrate();
        return db;
    }

    public PortalDbContext CreateDbContext() => new(_options);

    DbContext IDbContextFactory<DbContext>.CreateDbContext() => CreateDbContext();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
