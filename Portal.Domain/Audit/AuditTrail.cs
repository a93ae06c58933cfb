using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Portal.Domain.Audit;

/// <summary>
/// The one way audit entries are written. <see cref="Record"/> adds the entry to the caller's
/// context so it commits in the same transaction as the change it describes: an action is
/// audited exactly when it happened.
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AuditEntry Record(DbContext db, Actor actor, string action, string resourceType, string resourceId,
        string? paymentId = null, object? before = null, object? after = null,
        long? amountBefore = null, long? amountAfter = null, string? currency = null, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var entry = new AuditEntry(clock.GetUtcNow().UtcDateTime, actor, action, resourceType, resourceId, paymentId,
            Serialize(before), Serialize(after), amountBefore, amountAfter, currency, details);
        db.Set<AuditEntry>().Add(entry);
        return entry;
    }

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, Json),
    };
}
