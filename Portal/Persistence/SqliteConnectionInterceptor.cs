using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Persistence;

/// <summary>
/// Per-connection SQLite settings: wait for a busy writer instead of failing at once, and the
/// WAL-appropriate sync level. (journal_mode=WAL is persistent and set once by the initializer.)
/// Also registers <c>portal_audit_hash</c> (<see cref="Domain.Audit.AuditChain"/>), which the
/// audit-chain migration uses to hash the entries written before the chain existed.
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        RegisterFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        RegisterFunctions(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void RegisterFunctions(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            sqlite.CreateFunction("portal_audit_hash", (object?[] values) => Domain.Audit.AuditChain.ComputeHashFromColumns(values), isDeterministic: true);
    }
}
