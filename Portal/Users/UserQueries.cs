using Microsoft.EntityFrameworkCore;
using Portal.Persistence;

namespace Portal.Users;

public enum UserSort
{
    Email,
    DisplayName,
    Created,
}

/// <summary>One page of the user list. <paramref name="Search"/> matches email or display name.</summary>
public sealed record UserListRequest(string? Search, int Skip, int Take, UserSort Sort = UserSort.Email, bool Descending = false);

public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    bool TwoFactorEnabled,
    DateTime CreatedAtUtc)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;

    /// <summary>Locked by an admin (no end date) rather than by failed sign-ins.</summary>
    public bool IsLockedIndefinitely => LockoutEnd is { } end && end.Year >= 9999;
}

public sealed record UserList(IReadOnlyList<UserRow> Rows, int Total);

/// <summary>Read side of the Users page: paging, sorting and search done by the database.</summary>
public sealed class UserQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<UserList> ListAsync(UserListRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            // SQLite's LIKE ignores ASCII case; wildcards typed by the user are matched literally.
            var pattern = "%" + EscapeLike(request.Search.Trim()) + "%";
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, "\\") || EF.Functions.Like(u.DisplayName, pattern, "\\"));
        }

        var total = await users.CountAsync(cancellationToken);
        users = (request.Sort, request.Descending) switch
        {
            (UserSort.DisplayName, false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id),
            (UserSort.DisplayName, true) => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.Id),
            (UserSort.Created, false) => users.OrderBy(u => u.CreatedAtUtc).ThenBy(u => u.Id),
            (UserSort.Created, true) => users.OrderByDescending(u => u.CreatedAtUtc).ThenBy(u => u.Id),
            (_, false) => users.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id),
            (_, true) => users.OrderByDescending(u => u.NormalizedEmail).ThenBy(u => u.Id),
        };
        var page = await users
            .Skip(Math.Max(0, request.Skip))
            .Take(Math.Clamp(request.Take, 1, MaxPageSize))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.LockoutEnd, u.AccessFailedCount, u.TwoFactorEnabled, u.CreatedAtUtc })
            .ToListAsync(cancellationToken);

        var ids = page.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);

        var rows = page.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName,
                Domain.Security.Roles.All.Where(rolesByUser[u.Id].Contains).ToList(),
                u.LockoutEnd, u.AccessFailedCount, u.TwoFactorEnabled, u.CreatedAtUtc))
            .ToList();
        return new UserList(rows, total);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
