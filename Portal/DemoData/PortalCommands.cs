using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Persistence;

namespace Portal.DemoData;

/// <summary>
/// Command-line verbs handled before the web app is built:
/// <c>dotnet run --project Portal -- seed --payments N --seed S [--data-dir PATH] [--days D] [--end 2026-11-22T18:00:00Z]</c>
/// creates or migrates the database in the data folder, bulk-loads N demo payments and exits;
/// <c>audit verify</c> checks the audit log's hash chain (<see cref="Audit.AuditCommand"/>).
/// </summary>
public static class PortalCommands
{
    public const string Usage =
        "usage: dotnet run --project Portal -- seed --payments N [--seed S] [--data-dir PATH] [--days D] [--end yyyy-MM-ddTHH:mm:ssZ]";

    public static bool IsCommand(string[] args) => args.Length > 0 && (args[0] == "seed" || Audit.AuditCommand.IsCommand(args));

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        if (Audit.AuditCommand.IsCommand(args)) return await Audit.AuditCommand.RunAsync(args, output, cancellationToken);
        output ??= Console.Out;
        SeedArguments parsed;
        try
        {
            parsed = SeedArguments.Parse(args.Skip(1).ToArray(), TimeProvider.System);
        }
        catch (FormatException e)
        {
            await output.WriteLineAsync(e.Message);
            await output.WriteLineAsync(Usage);
            return 64;
        }

        // Same configuration sources and data-folder rules as the web app.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        if (parsed.DataDirectory is not null) options.DataDirectory = parsed.DataDirectory;
        var paths = new PortalPaths(builder.Environment.ContentRootPath, options);
        paths.EnsureCreated();
        return await SeedAsync(paths.ConnectionString, parsed, output, cancellationToken);
    }

    public static async Task<int> SeedAsync(string connectionString, SeedArguments arguments, TextWriter output, CancellationToken cancellationToken = default)
    {
        var dbOptions = new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalSqlite(connectionString)
            .Options;
        var generator = new DemoDataGenerator(new DemoDataSpec(arguments.Payments, arguments.Seed, arguments.EndUtc, arguments.Days));
        await using (var db = new PortalDbContext(dbOptions))
        {
            await output.WriteLineAsync($"Database: {db.Database.GetDbConnection().DataSource}");
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            if (generator.Count > 0)
            {
                var firstId = generator.Create(0).Payment.Id;
                if (await db.Set<Payment>().AnyAsync(p => p.Id == firstId, cancellationToken))
                {
                    await output.WriteLineAsync($"Seed {arguments.Seed} is already loaded in this database (payment {firstId} exists). Use another --seed or a fresh --data-dir.");
                    return 2;
                }
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Loading {arguments.Payments:N0} payments (seed {arguments.Seed}, {arguments.Days} days up to {arguments.EndUtc:yyyy-MM-dd HH:mm} UTC)..."));

            var loader = new DemoDataBulkLoader(connectionString, db.Model);
            var progress = new SynchronousProgress(p => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Payments,12:N0} / {p.TotalPayments:N0} payments  {p.Rows,14:N0} rows  {p.RowsPerSecond,10:N0} rows/s  {p.Elapsed.TotalSeconds,7:N1} s")));
            var result = await loader.LoadAsync(generator, progress, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Done: {result.Payments:N0} payments, {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:N1} s ({result.RowsPerSecond:N0} rows/s)."));
        }


        SqliteConnection.ClearAllPools();
        return 0;
    }

    /// <summary>Reports on the loader's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<BulkLoadProgress> report) : IProgress<BulkLoadProgress>
    {
        private DateTime _lastReport = DateTime.MinValue;

        public void Report(BulkLoadProgress value)
        {
            // About one line a second, and always the final one.
            var now = DateTime.UtcNow;
            if (value.Payments < value.TotalPayments && now - _lastReport < TimeSpan.FromSeconds(1)) return;
            _lastReport = now;
            report(value);
        }
    }
}

/// <summary>Arguments of the seed command.</summary>
public sealed record SeedArguments(int Payments, ulong Seed, DateTime EndUtc, int Days, string? DataDirectory)
{
    /// <exception cref="FormatException">A missing, unknown or malformed argument.</exception>
    public static SeedArguments Parse(string[] args, TimeProvider clock)
    {
        int? payments = null;
        var seed = DemoDataSpec.DefaultSeed;
        var days = 60;
        DateTime? end = null;
        string? dataDirectory = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length) throw new FormatException($"{name} needs a value.");
            var value = args[++i];
            switch (name)
            {
                case "--payments":
                    payments = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException("--payments must be a whole number.");
                    break;
                case "--seed":
                    seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new FormatException("--seed must be a whole number.");
                    break;
                case "--days":
                    days = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 3650 ? d : throw new FormatException("--days must be 1 to 3650.");
                    break;
                case "--end":
                    end = DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var e)
                        ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : throw new FormatException("--end must be a UTC time such as 2026-11-22T18:00:00Z.");
                    break;
                case "--data-dir":
                    dataDirectory = value;
                    break;
                default:
                    throw new FormatException($"Unknown argument {name}.");
            }
        }
        if (payments is null) throw new FormatException("--payments is required.");
        return new SeedArguments(payments.Value, seed, end ?? clock.GetUtcNow().UtcDateTime, days, dataDirectory);
    }
}
