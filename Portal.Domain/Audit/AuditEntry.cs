namespace Portal.Domain.Audit;

/// <summary>
/// One line of the append-only audit log: who did what, when, from where, to which resource,
/// with the state before and after. Rows are never updated or deleted (enforced by
/// <see cref="AuditTrail"/>'s interceptor and by database triggers).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    internal AuditEntry(DateTime occurredAtUtc, Actor actor, string action, string resourceType, string resourceId,
        string? paymentId, string? before, string? after, long? amountBefore, long? amountAfter, string? currency, string? details)
    {
        OccurredAtUtc = occurredAtUtc;
        ActorId = actor.Id;
        ActorName = actor.Name;
        Origin = actor.Origin;
        Action = action;
        ResourceType = resourceType;
        ResourceId = resourceId;
        PaymentId = paymentId;
        Before = before;
        After = after;
        AmountBefore = amountBefore;
        AmountAfter = amountAfter;
        Currency = currency;
        Details = details;
    }

    public long Id { get; private set; }
    public DateTime OccurredAtUtc { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    /// <summary>Where the action came from: <c>ui</c>, <c>api</c>, <c>job:…</c>, <c>webhook:…</c>, <c>system</c>.</summary>
    public string Origin { get; private set; } = "";
    /// <summary>Dotted verb, e.g. <c>refund.requested</c>, <c>user.roles-changed</c>.</summary>
    public string Action { get; private set; } = "";
    public string ResourceType { get; private set; } = "";
    public string ResourceId { get; private set; } = "";
    /// <summary>The payment the action concerns, when there is one (for the payment timeline).</summary>
    public string? PaymentId { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public long? AmountBefore { get; private set; }
    public long? AmountAfter { get; private set; }
    public string? Currency { get; private set; }
    public string? Details { get; private set; }

    /// <summary>Position in the hash chain: 1, 2, 3… with no gap (assigned when the entry is saved, see <see cref="AuditChainInterceptor"/>).</summary>
    public long Sequence { get; private set; }

    /// <summary><see cref="Hash"/> of the entry before this one in the chain (64 zeros for the first).</summary>
    public string PreviousHash { get; private set; } = "";

    /// <summary>SHA-256 (lowercase hex) over this entry's fields and <see cref="PreviousHash"/>; see <see cref="AuditChain"/>.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>Links the entry into the chain after the entry whose hash is <paramref name="previousHash"/>.</summary>
    internal void Seal(long sequence, string previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = AuditChain.ComputeHash(this);
    }
}
