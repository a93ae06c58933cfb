using Portal.Domain.Audit;

namespace Portal.Audit;

/// <summary>The audit chain's state for the Audit page: checked when asked, from the first entry to the head.</summary>
public sealed record AuditChainState(bool Intact, long Entries, string Summary, long? BrokenEntryId, DateTime CheckedAtUtc);

public sealed class AuditChainQueries(AuditChainVerifier verifier, TimeProvider clock)
{
    public async Task<AuditChainState> StateAsync(CancellationToken cancellationToken = default)
    {
        var report = await verifier.VerifyAsync(cancellationToken);
        return new AuditChainState(report.Intact, report.Entries, report.Describe(), report.BrokenEntryId, clock.GetUtcNow().UtcDateTime);
    }
}
