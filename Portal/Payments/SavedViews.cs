using Microsoft.EntityFrameworkCore;
using Portal.Domain;
using Portal.Persistence;

namespace Portal.Payments;

public sealed record SavedViewItem(long Id, string Name, string QueryString);

/// <summary>
/// Named views per user and list. Every read and write is scoped by the caller's user id, so
/// one person can never see, apply or delete another's views.
/// </summary>
public sealed class SavedViews(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPerList = 50;

    public async Task<IReadOnlyList<SavedViewItem>> ListAsync(string userId, string list, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedView>().AsNoTracking()
            .Where(v => v.UserId == userId && v.List == list)
            .OrderBy(v => v.Name)
            .Select(v => new SavedViewItem(v.Id, v.Name, v.QueryString))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Saves the view under the name; an existing view of that name is replaced.</summary>
    /// <exception cref="DomainException">Empty or too long name, too long query, or too many views.</exception>
    public async Task<SavedViewItem> SaveAsync(string userId, string list, string name, string queryString,
        CancellationToken cancellationToken = default)
    {
        var validName = SavedView.ValidName(name);
        var query = SavedView.ValidQuery(queryString);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Replace in place first: a conditional update cannot race with a second save of the same name.
        var replaced = await db.Set<SavedView>()
            .Where(v => v.UserId == userId && v.List == list && v.Name == validName)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.QueryString, query).SetProperty(v => v.UpdatedAtUtc, now), cancellationToken);
        if (replaced == 0)
        {
            var count = await db.Set<SavedView>().CountAsync(v => v.UserId == userId && v.List == list, cancellationToken);
            if (count >= MaxPerList) throw new DomainException($"You can keep at most {MaxPerList} saved views; delete one first.");
            db.Add(new SavedView(userId, list, validName, query, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Saved at the same moment from another tab: the unique index kept one; take this one's query.
                db.ChangeTracker.Clear();
                var updated = await db.Set<SavedView>()
                    .Where(v => v.UserId == userId && v.List == list && v.Name == validName)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.QueryString, query).SetProperty(v => v.UpdatedAtUtc, now), cancellationToken);
                if (updated == 0) throw;
            }
        }
        return await db.Set<SavedView>().AsNoTracking()
            .Where(v => v.UserId == userId && v.List == list && v.Name == validName)
            .Select(v => new SavedViewItem(v.Id, v.Name, v.QueryString))
            .SingleAsync(cancellationToken);
    }

    /// <returns>False when the user has no such view (already deleted, or someone else's).</returns>
    public async Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedView>().Where(v => v.Id == id && v.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 1;
    }
}
