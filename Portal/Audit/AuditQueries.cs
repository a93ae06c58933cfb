using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Audit;

/// <summary>
/// Filters of the audit log. Times are UTC, <paramref name="FromUtc"/> inclusive and
/// <paramref name="ToUtc"/> exclusive; <paramref name="Resource"/> matches a payment id or a
/// resource id exactly (ids are pasted, not typed in part); <paramref name="Actor"/> matches
/// part of the actor's name or the exact actor id.
/// </summary>
public sealed record AuditFilter(
    DateTime? FromUtc = null,
    DateTime? ToUtc = null,
    string? Actor = null,
    string? Action = null,
    string? Resource = null);

public sealed record AuditRow(
    long Id,
    DateTime OccurredAtUtc,
    string ActorId,
    string ActorName,
    string Origin,
    string Action,
    string ResourceType,
    string ResourceId,
    string? PaymentId,
    string? Before,
    string? After,
    long? AmountBefore,
    long? AmountAfter,
    string? Currency,
    string? Details);

public sealed record AuditList(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>
/// Read side of the audit page: filtering, newest-first ordering and paging all happen in the
/// database, with a short-lived untracked context per query.
/// </summary>
public sealed class AuditQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<AuditList> ListAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = Apply(db.Set<AuditEntry>().AsNoTracking(), filter);
        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries
            .OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(e => new AuditRow(e.Id, e.OccurredAtUtc, e.ActorId, e.ActorName, e.Origin, e.Action, e.ResourceType,
                e.ResourceId, e.PaymentId, e.Before, e.After, e.AmountBefore, e.AmountAfter, e.Currency, e.Details))
            .ToListAsync(cancellationToken);
        return new AuditList(rows, total);
    }

    /// <summary>The actions that occur in the log, for the filter's dropdown.</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditEntry>().AsNoTracking()
            .Select(e => e.Action).Distinct().OrderBy(a => a)
            .ToListAsync(cancellationToken);
    }

    private static IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries, AuditFilter filter)
    {
        if (filter.FromUtc is { } from)
            entries = entries.Where(e => e.OccurredAtUtc >= from);
        if (filter.ToUtc is { } to)
            entries = entries.Where(e => e.OccurredAtUtc < to);
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            entries = entries.Where(e => e.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(filter.Resource))
        {
            var id = filter.Resource.Trim();
            entries = entries.Where(e => e.PaymentId == id || e.ResourceId == id);
        }
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            var pattern = "%" + actor.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            entries = entries.Where(e => e.ActorId == actor || EF.Functions.Like(e.ActorName, pattern, "\\"));
        }
        return entries;
    }
}
