using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Portal.Domain.Audit;

/// <summary>The outcome of checking the audit chain from its first entry to its head.</summary>
/// <param name="Entries">How many entries were checked (up to the first broken link).</param>
/// <param name="BrokenEntryId">The database Id of the first entry that does not fit, when it is an entry.</param>
/// <param name="BrokenSequence">Its position in the chain.</param>
/// <param name="Problem">What is wrong, in words; null when intact.</param>
public sealed record AuditChainReport(bool Intact, long Entries, long? LastSequence, string? LastHash,
    long? BrokenEntryId, long? BrokenSequence, string? Problem)
{
    public string Describe() => Intact
        ? string.Create(CultureInfo.InvariantCulture,
            $"Audit chain intact: {Entries} entr{(Entries == 1 ? "y" : "ies")}{(LastHash is null ? "" : $", last #{LastSequence} {LastHash[..16]}…")}.")
        : $"Audit chain BROKEN: {Problem}";
}

/// <summary>
/// Walks the audit log in chain order and recomputes every hash (<see cref="AuditChain"/>):
/// reports the first entry whose position, previous-hash or own hash does not fit, or a head
/// that does not match the last entry (entries removed from the end). Reads in bounded batches.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<DbContext> dbFactory)
{
    private const int BatchSize = 1000;

    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        long checkedCount = 0, expected = 1;
        var previous = AuditChain.Genesis;
        while (true)
        {
            var from = expected - 1;
            var batch = await db.Set<AuditEntry>().AsNoTracking()
                .Where(e => e.Sequence > from)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
            {
                string? problem = null;
                if (e.Sequence != expected)
                    problem = expected == 1
                        ? $"entry {e.Id} is #{e.Sequence}, but the chain starts at #1: the entries before it were removed."
                        : $"entry {e.Id} is #{e.Sequence}, but #{expected} should follow #{expected - 1}: {e.Sequence - expected} entr{(e.Sequence - expected == 1 ? "y was" : "ies were")} removed before it.";
                else if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
                    problem = expected == 1
                        ? $"entry {e.Id} (#1) does not start from the genesis hash."
                        : $"entry {e.Id} (#{e.Sequence}) does not link to #{expected - 1}: the entry before it was changed or replaced.";
                else if (!string.Equals(AuditChain.ComputeHash(e), e.Hash, StringComparison.Ordinal))
                    problem = $"entry {e.Id} (#{e.Sequence}, {e.Action} at {e.OccurredAtUtc.ToString("u", CultureInfo.InvariantCulture)}) does not match its hash: it was changed after it was written.";
                if (problem is not null)
                    return new AuditChainReport(false, checkedCount, expected - 1, previous, e.Id, e.Sequence, problem);
                previous = e.Hash;
                checkedCount++;
                expected++;
            }
            if (batch.Count < BatchSize) break;
        }

        var last = expected - 1;
        var head = await db.Set<AuditChainHead>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var headSequence = head?.LastSequence ?? 0;
        var headHash = head?.LastHash ?? AuditChain.Genesis;
        if (headSequence != last || !string.Equals(headHash, previous, StringComparison.Ordinal))
            return new AuditChainReport(false, checkedCount, last, previous, null, headSequence,
                headSequence > last
                    ? $"the chain ends at #{last}, but the head records #{headSequence}: the last {headSequence - last} entr{(headSequence - last == 1 ? "y was" : "ies were")} removed."
                    : $"the head records #{headSequence} ({headHash[..Math.Min(16, headHash.Length)]}…), which is not the last entry #{last}: the head or the last entry was changed.");
        return new AuditChainReport(true, checkedCount, last == 0 ? null : last, last == 0 ? null : previous, null, null, null);
    }
}
