using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Audit;

/// <summary>
/// <c>dotnet run --project Portal -- audit verify [--data-dir PATH]</c>: checks the audit log's
/// hash chain in the data folder's database without changing anything, prints the result and
/// exits 0 when the chain is intact, 1 at the first broken link (named), 2 when there is no
/// migrated database to check, 64 on a usage error.
/// </summary>
public static class AuditCommand
{
    public const string Usage = "usage: dotnet run --project Portal -- audit verify [--data-dir PATH]";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "audit";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        string? dataDirectory = null;
        if (args.Length < 2 || args[1] != "verify")
        {
            await output.WriteLineAsync(Usage);
            return 64;
        }
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--data-dir" && i + 1 < args.Length) dataDirectory = args[++i];
            else
            {
                await output.WriteLineAsync($"Unknown argument {args[i]}.");
                await output.WriteLineAsync(Usage);
                return 64;
            }
        }

        // Same configuration sources and data-folder rules as the web app.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        if (dataDirectory is not null) options.DataDirectory = dataDirectory;
        var paths = new PortalPaths(builder.Environment.ContentRootPath, options);
        if (!File.Exists(paths.DatabaseFile))
        {
            await output.WriteLineAsync($"No database at {paths.DatabaseFile}: nothing to verify.");
            return 2;
        }
        return await VerifyAsync(paths.ConnectionString, output, cancellationToken);
    }

    public static async Task<int> VerifyAsync(string connectionString, TextWriter output, CancellationToken cancellationToken = default)
    {
        var dbOptions = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(new SqliteConnectionInterceptor())
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options;
        try
        {
            await using (var db = new PortalDbContext(dbOptions))
            {
                await output.WriteLineAsync($"Database: {db.Database.GetDbConnection().DataSource}");
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    await output.WriteLineAsync($"The database is not migrated yet ({string.Join(", ", pending)} pending): start the portal once, then verify.");
                    return 2;
                }
            }
            var report = await new AuditChainVerifier(new Factory(dbOptions)).VerifyAsync(cancellationToken);
            await output.WriteLineAsync(report.Describe());
            return report.Intact ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private sealed class Factory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<DbContext>
    {
        public DbContext CreateDbContext() => new PortalDbContext(options);
    }
}
