using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// The design-time tools cannot be restored here, so migrations are written by hand. This
/// proves they produce exactly the schema the EF model describes: tables, columns (type,
/// nullability, primary key), indexes (columns, uniqueness) and foreign keys.
/// </summary>
public sealed class MigrationSchemaTests
{
    [Fact]
    public void MigratedSchema_EqualsModelSchema()
    {
        using var migrated = TestDatabase.CreateMigrated();
        var fromModel = Path.Combine(TestPaths.NewDataDirectory("model"), "model.db");
        using (var context = new PortalDbContext(TestDatabase.Options(fromModel)))
            context.Database.EnsureCreated();

        var expected = DescribeSchema(fromModel);
        var actual = DescribeSchema(migrated.File);

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "Migrations and model differ.\nIn the model but not in the migrated database:\n  " + string.Join("\n  ", missing) +
            "\nIn the migrated database but not in the model:\n  " + string.Join("\n  ", extra));
    }

    [Fact]
    public void Migrate_RunTwice_IsHarmless()
    {
        using var db = TestDatabase.CreateMigrated();
        using var context = db.CreateDbContext();
        context.Database.Migrate();
        Assert.Empty(context.Database.GetPendingMigrations());
    }

    internal static SortedSet<string> DescribeSchema(string file)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        var tables = Query(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock')",
            r => r.GetString(0));
        foreach (var table in tables)
        {
            lines.Add($"table {table}");
            foreach (var column in Query(connection, $"PRAGMA table_info(\"{table}\")",
                         r => $"column {table}.{r.GetString(1)} {r.GetString(2).ToUpperInvariant()} notnull={r.GetInt64(3)} pk={r.GetInt64(5)}"))
                lines.Add(column);
            foreach (var index in Query(connection, $"PRAGMA index_list(\"{table}\")",
                         r => (Name: r.GetString(1), Unique: r.GetInt64(2), Origin: r.GetString(3))))
            {
                if (index.Origin == "pk") continue;
                var columns = Query(connection, $"PRAGMA index_info(\"{index.Name}\")", r => r.IsDBNull(2) ? "<expr>" : r.GetString(2));
                var filter = Query(connection, $"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{index.Name}'",
                    r => r.IsDBNull(0) ? "" : r.GetString(0)).FirstOrDefault() ?? "";
                var where = filter.Contains(" WHERE ", StringComparison.OrdinalIgnoreCase)
                    ? filter[filter.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase)..].Replace("\"", "", StringComparison.Ordinal)
                    : "";
                lines.Add($"index {table}.{index.Name} ({string.Join(",", columns)}) unique={index.Unique}{where}");
            }
            foreach (var fk in Query(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                         r => $"fk {table}.{r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}"))
                lines.Add(fk);
        }
        return lines;
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read()) result.Add(read(reader));
        return result;
    }
}
