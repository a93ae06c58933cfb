using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.EComCharge;

/// <summary>What the sandbox saw: one charge or refund request as it arrived (never the card token).</summary>
/// <param name="AdditionalData">The request's <c>additional_data</c> object as JSON (contract / card_on_file flags), if any.</param>
public sealed record SandboxRequestRecord(string Kind, string? TrackingId, string? Description, string? ParentUid, string? AdditionalData, DateTimeOffset AtUtc);

/// <summary>A transaction that just reached its final status, with the notification to send, if one was asked for.</summary>
internal sealed record SandboxResolution(string Uid, string? NotificationUrl, JsonObject Transaction);

/// <summary>
/// Every transaction the eComCharge sandbox has seen, in memory (one per portal process), and
/// every charge/refund request it received. Thread-safe: one lock around all state, so
/// concurrent duplicates and refunds behave as on a real gateway (one charge per tracking id,
/// refunds never above the parent amount).
/// </summary>
public sealed class EComChargeSandboxStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxTransaction> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byTrackingId = new(StringComparer.Ordinal);
    private readonly List<SandboxRequestRecord> _requests = [];
    private readonly Dictionary<string, int> _queries = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>Charge requests received with this tracking id (duplicates, retries and 500s included).</summary>
    public int ChargeRequestCount(string trackingId) => Count("charge", trackingId);

    /// <summary>Status queries received about this uid or tracking id (by <c>GET /transactions/{uid}</c> or <c>.../tracking_id/{id}</c>).</summary>
    public int QueryCount(string uidOrTrackingId)
    {
        lock (_gate)
            return _queries.GetValueOrDefault(uidOrTrackingId);
    }

    internal void RecordQuery(string uidOrTrackingId)
    {
        lock (_gate)
            _queries[uidOrTrackingId] = _queries.GetValueOrDefault(uidOrTrackingId) + 1;
    }

    /// <summary>Refund requests received with this tracking id.</summary>
    public int RefundRequestCount(string trackingId) => Count("refund", trackingId);

    /// <summary>Every charge/refund request received, oldest first.</summary>
    public IReadOnlyList<SandboxRequestRecord> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToArray();
        }
    }

    /// <summary>Transactions created for this tracking id (a duplicate request never adds one).</summary>
    public int TransactionCount(string trackingId)
    {
        lock (_gate)
            return _byTrackingId.TryGetValue(trackingId, out var uids) ? uids.Count : 0;
    }

    /// <summary>The status of a transaction, or null when the sandbox does not know it.</summary>
    public string? StatusOf(string uid)
    {
        lock (_gate)
            return _byUid.TryGetValue(uid, out var t) ? t.Status : null;
    }

    /// <summary>How much of a payment has been refunded.</summary>
    public long RefundedAmountOf(string uid)
    {
        lock (_gate)
            return _byUid.TryGetValue(uid, out var t) ? t.RefundedAmount : 0;
    }

    internal int Record(string kind, string? trackingId, string? description, string? parentUid, string? additionalData = null)
    {
        lock (_gate)
        {
            _requests.Add(new SandboxRequestRecord(kind, trackingId, description, parentUid, additionalData, DateTimeOffset.UtcNow));
            return trackingId is null ? 1 : _requests.Count(r => r.Kind == kind && r.TrackingId == trackingId);
        }
    }

    /// <summary>The first transaction with this tracking id, or a new one made by <paramref name="create"/>.</summary>
    internal JsonObject GetOrCreate(string? trackingId, Func<string, SandboxTransaction> create, out SandboxTransaction transaction, out bool created)
    {
        lock (_gate)
        {
            if (trackingId is not null && _byTrackingId.TryGetValue(trackingId, out var existing))
            {
                transaction = _byUid[existing[0]];
                created = false;
                return transaction.ToJson();
            }
            transaction = create(NewUid());
            Add(transaction);
            created = true;
            return transaction.ToJson();
        }
    }

    /// <summary>
    /// Takes on a charge the sandbox does not hold (see <see cref="EComChargeSandboxMemory"/>): a
    /// payment with this uid, amount, status and refunded total. A uid it already holds is left alone.
    /// </summary>
    internal void Adopt(string uid, string? trackingId, long amount, string currency, string status, long refundedAmount, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            if (_byUid.ContainsKey(uid)) return;
            var transaction = new SandboxTransaction
            {
                Uid = uid,
                Type = "payment",
                TrackingId = trackingId,
                Amount = amount,
                Currency = currency,
                Description = "Recorded by the portal",
                Behaviour = SandboxCardBehaviour.Approve,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
                Status = "pending",
                RefundedAmount = refundedAmount,
            };
            if (status == "successful") transaction.Succeed("Successfully processed", createdAt);
            else if (status == "failed") transaction.Fail("Declined", "05", createdAt);
            Add(transaction);
        }
    }

    /// <summary>
    /// Refunds part of a payment: the first refund with this tracking id is returned again on a
    /// duplicate; otherwise a refund transaction is created, successful only when the parent is a
    /// successful payment with enough left to refund.
    /// </summary>
    internal JsonObject? Refund(string parentUid, long amount, string? reason, string? trackingId, DateTimeOffset now, out SandboxTransaction? parent)
    {
        lock (_gate)
        {
            if (!_byUid.TryGetValue(parentUid, out parent) || parent.Type != "payment")
            {
                parent = null;
                return null;
            }
            if (trackingId is not null && _byTrackingId.TryGetValue(trackingId, out var existing))
                return _byUid[existing[0]].ToJson();

            var refund = new SandboxTransaction
            {
                Uid = NewUid(),
                Type = "refund",
                TrackingId = trackingId,
                ParentUid = parentUid,
                Amount = amount,
                Currency = parent.Currency,
                Description = parent.Description,
                Reason = reason,
                Behaviour = parent.Behaviour,
                CreatedAt = now,
                UpdatedAt = now,
                Status = "failed",
            };
            var left = parent.Amount - parent.RefundedAmount;
            if (parent.Status != "successful")
                refund.Fail($"Parent transaction {parentUid} is {parent.Status}, not successful: nothing to refund.", "12", now);
            else if (parent.Behaviour == SandboxCardBehaviour.RefundFails)
                refund.Fail("Refund declined by the acquirer (sandbox test token).", "05", now);
            else if (amount > left)
                refund.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"Refund amount {amount} exceeds the amount left to refund ({left} of {parent.Amount})."), "13", now);
            else
            {
                parent.RefundedAmount += amount;
                refund.Succeed("Successfully processed", now);
            }
            Add(refund);
            return refund.ToJson();
        }
    }

    /// <summary>A transaction by uid, after applying any resolution that is due (see <see cref="ResolveDue"/>).</summary>
    internal JsonObject? Find(string uid, DateTimeOffset now, out SandboxResolution? resolved)
    {
        lock (_gate)
        {
            resolved = null;
            if (!_byUid.TryGetValue(uid, out var transaction))
                return null;
            resolved = ResolveDue(transaction, now, completeThreeDSecure: true);
            return transaction.ToJson();
        }
    }

    /// <summary>Transactions with this tracking id, oldest first, after applying any resolution that is due.</summary>
    internal List<JsonObject> FindByTrackingId(string trackingId, DateTimeOffset now, List<SandboxResolution> resolved)
    {
        lock (_gate)
        {
            if (!_byTrackingId.TryGetValue(trackingId, out var uids))
                return [];
            var result = new List<JsonObject>();
            foreach (var uid in uids)
            {
                var transaction = _byUid[uid];
                if (ResolveDue(transaction, now, completeThreeDSecure: true) is { } r)
                    resolved.Add(r);
                result.Add(transaction.ToJson());
            }
            return result;
        }
    }

    /// <summary>Resolves a pending transaction whose time has come (the background timer's call).</summary>
    internal SandboxResolution? ResolveIfDue(string uid, DateTimeOffset now, bool completeThreeDSecure)
    {
        lock (_gate)
            return _byUid.TryGetValue(uid, out var t) ? ResolveDue(t, now, completeThreeDSecure) : null;
    }

    /// <summary>
    /// Pending becomes successful once its time has come; incomplete (3-D Secure) ends in its
    /// final status when the customer finishes the sandbox's 3-D Secure page or when the
    /// transaction is next queried. Returns the resolution only the first time.
    /// </summary>
    private static SandboxResolution? ResolveDue(SandboxTransaction t, DateTimeOffset now, bool completeThreeDSecure)
    {
        if (t.Status == "pending" && t.ResolveAt is { } at && now >= at)
            t.Succeed("Successfully processed", now);
        else if (t.Status == "incomplete" && completeThreeDSecure)
        {
            if (t.FinalStatus == "successful")
                t.Succeed("Successfully processed", now);
            else
                t.Fail("3-D Secure authentication failed.", "05", now);
        }
        else
            return null;
        return new SandboxResolution(t.Uid, t.NotificationUrl, t.ToJson());
    }

    private void Add(SandboxTransaction transaction)
    {
        _byUid[transaction.Uid] = transaction;
        if (transaction.TrackingId is null)
            return;
        if (!_byTrackingId.TryGetValue(transaction.TrackingId, out var list))
            _byTrackingId[transaction.TrackingId] = list = [];
        list.Add(transaction.Uid);
    }

    private string NewUid() =>
        (++_sequence).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..10];

    private int Count(string kind, string trackingId)
    {
        lock (_gate)
            return _requests.Count(r => r.Kind == kind && r.TrackingId == trackingId);
    }
}
