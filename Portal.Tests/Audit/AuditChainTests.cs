using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Audit;
using Portal.Domain.Audit;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Audit;

/// <summary>The audit log's hash chain: appended in one chain even in parallel, and any edit or removal found.</summary>
public sealed class AuditChainTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly AuditTrail _audit = new(new FixedClock(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero)));
    private readonly AuditChainVerifier _verifier;

    public AuditChainTests()
    {
        _verifier = new AuditChainVerifier(_db);
    }

    public void Dispose() => _db.Dispose();

    private async Task AppendAsync(int count, string prefix = "a")
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = _db.CreateDbContext();
            _audit.Record(db, Actor.User("u1", "ann@example.com"), "test.action", "thing", $"{prefix}-{i}",
                paymentId: i % 2 == 0 ? "pay-1" : null, after: new { I = i }, amountAfter: i * 100, currency: "EUR", details: "détails ✓");
            await db.SaveChangesAsync();
        }
    }

    private void RawSql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<List<AuditEntry>> EntriesAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task Append_Sequential_EachEntryLinksToThePreviousAndMatchesItsHash()
    {
        await AppendAsync(5);

        var entries = await EntriesAsync();
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.Genesis, entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        Assert.All(entries, e => Assert.Equal(AuditChain.ComputeHash(e), e.Hash));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        var report = await _verifier.VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(5, report.Entries);
        Assert.Equal(entries[^1].Hash, report.LastHash);
    }

    [Fact]
    public void ComputeHash_CanonicalEncoding_KnownVectorAndFieldBoundaries()
    {
        var at = new DateTime(2026, 12, 7, 6, 0, 0, DateTimeKind.Utc);
        string Hash(string actorId, string actorName, string? details) => AuditChain.ComputeHash(1, AuditChain.Genesis, at, actorId, actorName, "ui",
            "a", "t", "r", null, null, null, null, null, null, details);

        // Moving a character from one field to the next, or null versus empty, changes the hash.
        Assert.NotEqual(Hash("ab", "c", null), Hash("a", "bc", null));
        Assert.NotEqual(Hash("a", "b", null), Hash("a", "b", ""));
        // The same fields always give the same hash (the encoding is documented in AuditChain).
        Assert.Equal(Hash("a", "b", "x"), Hash("a", "b", "x"));
        Assert.Equal(Hash("a", "b", "x"), AuditChain.ComputeHashFromColumns(
            [1L, AuditChain.Genesis, "2026-12-07 06:00:00", "a", "b", "ui", "a", "t", "r", null, null, null, null, null, null, "x"]));
    }

    [Fact]
    public async Task ParallelAppends_FromManyTransactions_FormOneUnbrokenChain()
    {
        const int writers = 8, each = 10;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await using var db = _db.CreateDbContext();
                if (w % 2 == 0)
                {
                    // Inside the caller's own transaction, with two entries in one save.
                    await using var tx = await db.Database.BeginTransactionAsync();
                    _audit.Record(db, Actor.Job("w" + w), "test.parallel", "writer", $"{w}-{i}-a");
                    _audit.Record(db, Actor.Job("w" + w), "test.parallel", "writer", $"{w}-{i}-b");
                    await db.SaveChangesAsync();
                    await tx.CommitAsync();
                }
                else
                {
                    _audit.Record(db, Actor.Job("w" + w), "test.parallel", "writer", $"{w}-{i}");
                    await db.SaveChangesAsync();
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var entries = await EntriesAsync();
        var total = writers / 2 * each * 2 + writers / 2 * each;
        Assert.Equal(total, entries.Count);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), entries.Select(e => e.Sequence));
        var report = await _verifier.VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(total, report.Entries);
    }

    [Fact]
    public async Task RowEditedWithRawSql_VerificationNamesIt()
    {
        await AppendAsync(6);
        var target = (await EntriesAsync())[3];

        // Someone with the database file: lifts the append-only trigger and changes an amount.
        RawSql($"""DROP TRIGGER AuditEntries_NoUpdate; UPDATE AuditEntries SET AmountAfter = 999999 WHERE Id = {target.Id};""");

        var report = await _verifier.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(target.Id, report.BrokenEntryId);
        Assert.Equal(4, report.BrokenSequence);
        Assert.Equal(3, report.Entries);
        Assert.Contains($"entry {target.Id} (#4", report.Problem, StringComparison.Ordinal);
        Assert.Contains("changed after it was written", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowEditedAndItsHashRecomputed_NextEntryNoLongerLinks()
    {
        await AppendAsync(4);
        var entries = await EntriesAsync();
        var edited = entries[1];
        var forged = AuditChain.ComputeHash(edited.Sequence, edited.PreviousHash, edited.OccurredAtUtc, edited.ActorId, "mallory", edited.Origin,
            edited.Action, edited.ResourceType, edited.ResourceId, edited.PaymentId, edited.Before, edited.After, edited.AmountBefore,
            edited.AmountAfter, edited.Currency, edited.Details);

        RawSql($"""DROP TRIGGER AuditEntries_NoUpdate; UPDATE AuditEntries SET ActorName = 'mallory', Hash = '{forged}' WHERE Id = {edited.Id};""");

        var report = await _verifier.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(entries[2].Id, report.BrokenEntryId);
        Assert.Contains("does not link to #2", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowDeletedInTheMiddle_VerificationNamesTheGap()
    {
        await AppendAsync(6);
        var entries = await EntriesAsync();

        RawSql($"""DROP TRIGGER AuditEntries_NoDelete; DELETE FROM AuditEntries WHERE Id = {entries[2].Id};""");

        var report = await _verifier.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(entries[3].Id, report.BrokenEntryId);
        Assert.Equal(4, report.BrokenSequence);
        Assert.Contains("#3 should follow #2", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastRowDeleted_HeadNoLongerMatches()
    {
        await AppendAsync(3);
        var entries = await EntriesAsync();

        RawSql($"""DROP TRIGGER AuditEntries_NoDelete; DELETE FROM AuditEntries WHERE Id = {entries[2].Id};""");

        var report = await _verifier.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Null(report.BrokenEntryId);
        Assert.Contains("the chain ends at #2, but the head records #3", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyLog_Intact()
    {
        var report = await _verifier.VerifyAsync();

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(0, report.Entries);
    }

    [Fact]
    public async Task Migration_EntriesWrittenBeforeTheChain_ChainedInIdOrder()
    {
        var file = Path.Combine(TestPaths.NewDataDirectory("audit-migration"), "portal.db");
        await using (var context = new Portal.Persistence.PortalDbContext(TestDatabase.Options(file)))
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
            await context.GetService<IMigrator>().MigrateAsync("20261206000002_JobPauses");
            await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await connection.OpenAsync();
                for (var i = 1; i <= 5; i++)
                {
                    await using var insert = connection.CreateCommand();
                    insert.CommandText = """
                        INSERT INTO AuditEntries (OccurredAtUtc, ActorId, ActorName, Origin, Action, ResourceType, ResourceId, PaymentId, Before, After, AmountBefore, AmountAfter, Currency, Details)
                        VALUES (@at, 'u1', 'Ann', 'ui', 'refund.requested', 'refund', @resource, @payment, NULL, '{"amount":1}', @before, 250, 'EUR', 'note é')
                        """;
                    insert.Parameters.AddWithValue("@at", new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i).AddTicks(i * 1234567));
                    insert.Parameters.AddWithValue("@resource", "r-" + i);
                    insert.Parameters.AddWithValue("@payment", i == 3 ? DBNull.Value : "pay-" + i);
                    insert.Parameters.AddWithValue("@before", i == 2 ? DBNull.Value : (long)(i * 10));
                    await insert.ExecuteNonQueryAsync();
                }
            }
            await context.Database.MigrateAsync();
        }
        SqliteConnection.ClearAllPools();

        var verifier = new AuditChainVerifier(new SingleFileFactory(file));
        var report = await verifier.VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(5, report.Entries);
        await using (var context = new Portal.Persistence.PortalDbContext(TestDatabase.Options(file)))
        {
            var entries = await context.Set<AuditEntry>().OrderBy(e => e.Id).ToListAsync();
            Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
            // And the app appends after them.
            _audit.Record(context, Actor.System, "test.after-migration", "thing", "x");
            await context.SaveChangesAsync();
        }
        var after = await verifier.VerifyAsync();
        Assert.True(after.Intact, after.Problem);
        Assert.Equal(6, after.Entries);
    }

    [Fact]
    public async Task VerifyCommand_IntactThenEdited_ExitCodeAndFirstBrokenLinkPrinted()
    {
        await AppendAsync(3);
        var connectionString = $"Data Source={_db.File};Pooling=False";
        var intactOutput = new StringWriter(CultureInfo.InvariantCulture);

        var intact = await AuditCommand.VerifyAsync(connectionString, intactOutput);

        Assert.Equal(0, intact);
        Assert.Contains("Audit chain intact: 3 entries", intactOutput.ToString(), StringComparison.Ordinal);
        var target = (await EntriesAsync())[1];
        RawSql($"""DROP TRIGGER AuditEntries_NoUpdate; UPDATE AuditEntries SET Details = 'nothing to see' WHERE Id = {target.Id};""");
        var brokenOutput = new StringWriter(CultureInfo.InvariantCulture);

        var broken = await AuditCommand.VerifyAsync(connectionString, brokenOutput);

        Assert.Equal(1, broken);
        Assert.Contains($"Audit chain BROKEN: entry {target.Id} (#2", brokenOutput.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCommand_ThroughPortalCommands_UsesTheDataFolder()
    {
        var dataDir = Path.GetDirectoryName(_db.File)!;
        await AppendAsync(2);
        var output = new StringWriter(CultureInfo.InvariantCulture);

        var code = await Portal.DemoData.PortalCommands.RunAsync(["audit", "verify", "--data-dir", dataDir], output);

        Assert.True(Portal.DemoData.PortalCommands.IsCommand(["audit", "verify"]));
        Assert.Equal(0, code);
        Assert.Contains("Audit chain intact: 2 entries", output.ToString(), StringComparison.Ordinal);
        var usage = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(64, await Portal.DemoData.PortalCommands.RunAsync(["audit", "check"], usage));
        var missing = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(2, await Portal.DemoData.PortalCommands.RunAsync(["audit", "verify", "--data-dir", TestPaths.NewDataDirectory("empty")], missing));
    }

    private sealed class SingleFileFactory(string file) : IDbContextFactory<DbContext>
    {
        public DbContext CreateDbContext() => new Portal.Persistence.PortalDbContext(TestDatabase.Options(file));
    }
}
