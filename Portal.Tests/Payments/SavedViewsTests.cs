using Portal.Domain;
using Portal.Payments;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

public sealed class SavedViewsTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly SavedViews _views;

    public SavedViewsTests()
    {
        _views = new SavedViews(_db, new FixedClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)));
        using var context = _db.CreateDbContext();
        foreach (var id in new[] { "alice", "bob" })
            context.Users.Add(new PortalUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), Email = id + "@x", DisplayName = id });
        context.SaveChanges();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task SavedViews_PerUser_AreIsolated()
    {
        await _views.SaveAsync("alice", SavedViewLists.Payments, "Flagged EUR", "?currency=EUR&flagged=true");
        var bobs = await _views.SaveAsync("bob", SavedViewLists.Payments, "Flagged EUR", "currency=USD");

        var alice = Assert.Single(await _views.ListAsync("alice", SavedViewLists.Payments));
        Assert.Equal(("Flagged EUR", "currency=EUR&flagged=true"), (alice.Name, alice.QueryString));
        Assert.Equal("currency=USD", Assert.Single(await _views.ListAsync("bob", SavedViewLists.Payments)).QueryString);

        Assert.False(await _views.DeleteAsync("alice", bobs.Id));
        Assert.Single(await _views.ListAsync("bob", SavedViewLists.Payments));
        Assert.True(await _views.DeleteAsync("bob", bobs.Id));
        Assert.Empty(await _views.ListAsync("bob", SavedViewLists.Payments));
        Assert.Single(await _views.ListAsync("alice", SavedViewLists.Payments));
    }

    [Fact]
    public async Task SavedViews_SameName_ReplacesTheQuery()
    {
        var first = await _views.SaveAsync("alice", SavedViewLists.Payments, "Mine", "status=Paid");
        var second = await _views.SaveAsync("alice", SavedViewLists.Payments, " Mine ", "status=Confirmed");
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("status=Confirmed", Assert.Single(await _views.ListAsync("alice", SavedViewLists.Payments)).QueryString);
    }

    [Fact]
    public async Task SavedViews_PerList_AreSeparate()
    {
        await _views.SaveAsync("alice", SavedViewLists.Payments, "Failed", "status=Cancelled");
        await _views.SaveAsync("alice", SavedViewLists.Transactions, "Failed", "status=Failed");
        Assert.Equal("status=Failed", Assert.Single(await _views.ListAsync("alice", SavedViewLists.Transactions)).QueryString);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task SavedViews_EmptyName_IsRefused(string name)
    {
        await Assert.ThrowsAsync<DomainException>(() => _views.SaveAsync("alice", SavedViewLists.Payments, name, "q=1"));
    }

    [Fact]
    public async Task SavedViews_TooManyForOneList_AreRefused()
    {
        for (var i = 0; i < SavedViews.MaxPerList; i++)
            await _views.SaveAsync("alice", SavedViewLists.Payments, "v" + i, "page=" + (i + 1));
        await Assert.ThrowsAsync<DomainException>(() => _views.SaveAsync("alice", SavedViewLists.Payments, "one more", "q=x"));
        // Replacing an existing one is still allowed.
        await _views.SaveAsync("alice", SavedViewLists.Payments, "v1", "q=y");
    }
}
