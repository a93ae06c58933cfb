using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Domain.Phone;
using Portal.Persistence;

namespace Portal.Phone;

public sealed record PhoneSessionRow(string Id, string PaymentId, string MerchantReference, string IframeUrl, long AmountMinor,
    string Currency, string? CallerName, string? CallerEmail, DateTime CreatedAtUtc, PaymentStatus PaymentStatus,
    TransactionStatus? LastAttemptStatus, string? LastAttemptMessage, string? CallUuid);

/// <summary>The phone payments page's read side: a staff member's recent sessions and how each ended.</summary>
public sealed class PhoneSessionQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<PhoneSessionRow>> RecentAsync(string userId, int take = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Set<PhoneSession>().AsNoTracking()
            .Where(s => s.CreatedById == userId)
            .OrderByDescending(s => s.CreatedAtUtc).Take(Math.Clamp(take, 1, 100))
            .ToListAsync(cancellationToken);
        return await WithOutcomesAsync(db, sessions, cancellationToken);
    }

    public async Task<PhoneSessionRow?> FindAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Set<PhoneSession>().AsNoTracking().Where(s => s.Id == sessionId).ToListAsync(cancellationToken);
        return (await WithOutcomesAsync(db, sessions, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<PhoneSessionRow>> WithOutcomesAsync(PortalDbContext db, List<PhoneSession> sessions,
        CancellationToken cancellationToken)
    {
        var ids = sessions.Select(s => s.PaymentId).ToList();
        var payments = await db.Set<Payment>().AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Status, p.CallUuid }).ToDictionaryAsync(p => p.Id, cancellationToken);
        var attempts = (await db.Set<PaymentTransaction>().AsNoTracking().Where(t => ids.Contains(t.PaymentId))
                .Select(t => new { t.PaymentId, t.Status, t.CreatedAtUtc, Message = t.Error == null ? null : t.Error.ExternalMessage })
                .ToListAsync(cancellationToken))
            .GroupBy(t => t.PaymentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.CreatedAtUtc).First());
        return sessions.Select(s =>
        {
            var payment = payments[s.PaymentId];
            var last = attempts.GetValueOrDefault(s.PaymentId);
            return new PhoneSessionRow(s.Id, s.PaymentId, s.MerchantReference, s.IframeUrl, s.AmountMinor, s.Currency, s.CallerName,
                s.CallerEmail, s.CreatedAtUtc, payment.Status, last?.Status, last?.Message, payment.CallUuid);
        }).ToList();
    }
}
