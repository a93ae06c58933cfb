using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Components.Pages.Audit;
using Portal.Domain.Audit;
using Portal.Tests.Components;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Audit;

/// <summary>The Audit page's chain status component: intact, or the first broken link named.</summary>
public sealed class AuditChainStatusTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    public void Dispose() => _db.Dispose();

    private PortalComponentContext Context()
    {
        var ctx = new PortalComponentContext();
        ctx.Services.AddSingleton<IDbContextFactory<DbContext>>(_db);
        ctx.Services.AddSingleton(TimeProvider.System);
        ctx.Services.AddSingleton<AuditChainVerifier>();
        ctx.Services.AddSingleton<AuditChainQueries>();
        return ctx;
    }

    private async Task<long> AppendAsync(int count)
    {
        var audit = new AuditTrail(TimeProvider.System);
        long last = 0;
        for (var i = 0; i < count; i++)
        {
            await using var db = _db.CreateDbContext();
            var entry = audit.Record(db, Actor.System, "test.status", "thing", "t" + i);
            await db.SaveChangesAsync();
            last = entry.Id;
        }
        return last;
    }

    [Fact]
    public async Task AuditChainStatus_IntactChain_SaysSoWithTheCount()
    {
        await AppendAsync(2);
        await using var ctx = Context();

        var cut = ctx.Render<AuditChainStatus>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-chain-status]").GetAttribute("data-intact")));
        Assert.Contains("Audit chain intact: 2 entries", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-success", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditChainStatus_EditedEntry_ShownBrokenNamingIt()
    {
        var last = await AppendAsync(3);
        await using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP TRIGGER AuditEntries_NoUpdate; UPDATE AuditEntries SET Action = 'test.hidden' WHERE Id = {last};";
            await command.ExecuteNonQueryAsync();
        }
        await using var ctx = Context();

        var cut = ctx.Render<AuditChainStatus>();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=audit-chain-status]").GetAttribute("data-intact")));
        Assert.Contains("mud-alert-text-error", cut.Markup, StringComparison.Ordinal);
        Assert.Contains($"Audit chain BROKEN: entry {last} (#3", cut.Markup, StringComparison.Ordinal);
    }
}
