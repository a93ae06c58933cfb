using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Domain.Audit;

/// <summary>
/// Links every new audit entry into the hash chain as it is saved (see <see cref="AuditChain"/>).
/// <para>
/// Parallel writers must form ONE chain, so the previous entry is read inside the transaction
/// that inserts the new one, after that transaction holds the write lock: when the caller has no
/// transaction of its own, this interceptor begins one before reading and commits it once the
/// entries are saved. On SQLite every EF transaction is <c>BEGIN IMMEDIATE</c> (SQLite's single
/// writer), so no other writer can append between the read and the insert; on a server database
/// the unique index on <see cref="AuditEntry.Sequence"/> turns a racing twin into a failed save,
/// never a fork. After a successful save the head row (<see cref="AuditChainHead"/>) records the
/// last sequence and hash, so entries removed from the end are noticed as well.
/// </para>
/// </summary>
public sealed class AuditChainInterceptor : SaveChangesInterceptor
{
    private sealed class Pending
    {
        public IDbContextTransaction? OwnedTransaction;
        public long LastSequence;
        public string LastHash = "";
    }

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db) SealAsync(db, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db) await SealAsync(db, async: true, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db) CompleteAsync(db, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db) await CompleteAsync(db, async: true, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } db) AbandonAsync(db, async: false).GetAwaiter().GetResult();
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        eventData.Context is { } db ? AbandonAsync(db, async: true) : Task.CompletedTask;

    public override void SaveChangesCanceled(DbContextEventData eventData)
    {
        if (eventData.Context is { } db) AbandonAsync(db, async: false).GetAwaiter().GetResult();
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        eventData.Context is { } db ? AbandonAsync(db, async: true) : Task.CompletedTask;

    private async Task SealAsync(DbContext db, bool async, CancellationToken cancellationToken)
    {
        var added = db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0) return;

        var pending = new Pending();
        if (db.Database.CurrentTransaction is null)
            pending.OwnedTransaction = async ? await db.Database.BeginTransactionAsync(cancellationToken) : db.Database.BeginTransaction();
        _pending.AddOrUpdate(db, pending);

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = """SELECT "Sequence", "Hash" FROM "AuditEntries" ORDER BY "Sequence" DESC LIMIT 1""";
        long sequence = 0;
        var hash = AuditChain.Genesis;
        await using (var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader())
        {
            if (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
            {
                sequence = reader.GetInt64(0);
                hash = reader.GetString(1);
            }
        }
        foreach (var entry in added)
        {
            entry.Seal(++sequence, hash);
            hash = entry.Hash;
        }
        pending.LastSequence = sequence;
        pending.LastHash = hash;
    }

    private async Task CompleteAsync(DbContext db, bool async, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(db, out var pending)) return;
        _pending.Remove(db);
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText = """
                UPDATE "AuditChainHead" SET "LastSequence" = @sequence, "LastHash" = @hash WHERE "Id" = 1 AND "LastSequence" < @sequence;
                INSERT INTO "AuditChainHead" ("Id", "LastSequence", "LastHash") SELECT 1, @sequence, @hash
                WHERE NOT EXISTS (SELECT 1 FROM "AuditChainHead" WHERE "Id" = 1);
                """;
            Add(command, "@sequence", pending.LastSequence);
            Add(command, "@hash", pending.LastHash);
            if (async) await command.ExecuteNonQueryAsync(cancellationToken);
            else command.ExecuteNonQuery();
        }
        if (pending.OwnedTransaction is { } owned)
        {
            if (async) await owned.CommitAsync(cancellationToken);
            else owned.Commit();
            if (async) await owned.DisposeAsync();
            else owned.Dispose();
        }
    }

    private async Task AbandonAsync(DbContext db, bool async)
    {
        if (!_pending.TryGetValue(db, out var pending)) return;
        _pending.Remove(db);
        if (pending.OwnedTransaction is not { } owned) return;
        if (async)
        {
            await owned.RollbackAsync();
            await owned.DisposeAsync();
        }
        else
        {
            owned.Rollback();
            owned.Dispose();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
