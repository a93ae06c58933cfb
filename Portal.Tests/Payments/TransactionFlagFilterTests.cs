using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Payments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Payments;

/// <summary>The transactions list's "flagged for a person" filter (attempts the status poller gave up on) and the flag on each row.</summary>
public sealed class TransactionFlagFilterTests : IDisposable
{
    private static readonly DateTime At = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    public void Dispose() => _db.Dispose();

    private async Task<(string Flagged, string Plain, string Other)> SeedAsync()
    {
        var (_, flagged) = await SeedConfirmedAsync(_db, 1_000, At.AddHours(-3));
        var (_, plain) = await SeedConfirmedAsync(_db, 2_000, At.AddHours(-2));
        var (_, other) = await SeedConfirmedAsync(_db, 3_000, At.AddHours(-1));
        await using var db = _db.CreateDbContext();
        // As the poller flags one (TransactionStatusPoller.FlagAsync).
        await db.Set<PaymentTransaction>().Where(t => t.Id == flagged).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.PollFlaggedAtUtc, At)
            .SetProperty(t => t.PollFlagReason, "No answer from the gateway 72 h after the attempt started (timeout); whether money moved is not known."));
        return (flagged, plain, other);
    }

    private Task<ListPage<TransactionListRow>> ListAsync(TransactionListFilter filter) =>
        new TransactionListQueries(_db).ListAsync(new TransactionListState(filter), TimeZoneInfo.Utc, includeCount: true);

    [Fact]
    public async Task ListAsync_FlaggedOnly_ReturnsTheFlaggedAttemptWithItsReason()
    {
        var (flagged, _, _) = await SeedAsync();

        var page = await ListAsync(new TransactionListFilter { Flagged = true });

        var row = Assert.Single(page.Rows);
        Assert.Equal(flagged, row.Id);
        Assert.Equal(1, page.Total);
        Assert.Equal(At, row.PollFlaggedAtUtc);
        Assert.StartsWith("No answer from the gateway 72 h", row.PollFlagReason);
    }

    [Fact]
    public async Task ListAsync_NotFlagged_LeavesTheFlaggedOneOut()
    {
        var (_, plain, other) = await SeedAsync();

        var page = await ListAsync(new TransactionListFilter { Flagged = false });

        Assert.Equal([other, plain], page.Rows.Select(r => r.Id));
        Assert.Equal(2, page.Total);
        Assert.All(page.Rows, r => Assert.Null(r.PollFlaggedAtUtc));
    }

    [Fact]
    public async Task ListAsync_FlaggedWithAStatus_CountedFromTheRowsNotTheStatusCounts()
    {
        await SeedAsync();
        var filter = new TransactionListFilter { Statuses = [TransactionStatus.Confirmed], Flagged = true };

        var page = await ListAsync(filter);

        Assert.False(filter.OnlyStatuses);
        Assert.Equal(1, page.Total);
        Assert.Equal(3, (await ListAsync(new TransactionListFilter { Statuses = [TransactionStatus.Confirmed] })).Total);
    }

    [Theory]
    [InlineData("flagged=true", true)]
    [InlineData("flagged=1", true)]
    [InlineData("flagged=false", false)]
    [InlineData("", null)]
    public void TransactionListState_Flagged_HeldInTheUrl(string query, bool? expected)
    {
        var parsed = TransactionListState.Parse(query);

        Assert.Equal(expected, parsed.State.Filter.Flagged);
        Assert.Empty(parsed.Ignored);
        Assert.Equal(expected switch { true => "flagged=true", false => "flagged=false", _ => "" }, parsed.State.FilterKey);
        Assert.Equal(parsed.State, TransactionListState.Parse(parsed.State.ToQueryString()).State);
    }

    [Fact]
    public void TransactionListState_FlaggedNotABoolean_IgnoredAndNamed()
    {
        var parsed = TransactionListState.Parse("flagged=maybe");

        Assert.Null(parsed.State.Filter.Flagged);
        Assert.Equal(["flagged=maybe"], parsed.Ignored);
    }
}
