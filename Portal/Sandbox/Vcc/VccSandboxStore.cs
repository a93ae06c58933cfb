using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Portal.Sandbox.Vcc;

/// <summary>A payment session the VCC sandbox created.</summary>
public sealed class VccSandboxSession
{
    public required string SessionGuid { get; init; }
    public required string ProviderSessionGuid { get; init; }
    public required string CallUuid { get; init; }
    public string? AgentId { get; init; }
    public int? AccountConfigurationId { get; init; }
    public bool SkipCallTransfer { get; init; }
    public required IReadOnlyDictionary<string, string> PaymentData { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset CreatedAtUtc { get; init; }

    /// <summary>Null while the form is open; then <c>successful</c> or <c>unsuccessful</c>.</summary>
    public string? Outcome { get; internal set; }
}

/// <summary>The VCC sandbox's sessions, in memory, by provider session guid. Thread-safe.</summary>
public sealed class VccSandboxStore
{
    private readonly ConcurrentDictionary<string, VccSandboxSession> _byProviderGuid = new(StringComparer.OrdinalIgnoreCase);

    public VccSandboxSession? Find(string providerSessionGuid) => _byProviderGuid.GetValueOrDefault(providerSessionGuid);

    public IReadOnlyCollection<VccSandboxSession> Sessions => _byProviderGuid.Values.ToArray();

    internal VccSandboxSession Create(string? agentId, IReadOnlyDictionary<string, string> paymentData, long amountMinor, string currency, int? accountConfigurationId, bool skipCallTransfer)
    {
        var session = new VccSandboxSession
        {
            SessionGuid = Guid.NewGuid().ToString(),
            ProviderSessionGuid = Guid.NewGuid().ToString(),
            CallUuid = Guid.NewGuid().ToString(),
            AgentId = agentId,
            AccountConfigurationId = accountConfigurationId,
            SkipCallTransfer = skipCallTransfer,
            PaymentData = paymentData,
            AmountMinor = amountMinor,
            Currency = currency,
            CreatedAtUtc = DateTimeOffset.UtcNow,
        };
        _byProviderGuid[session.ProviderSessionGuid] = session;
        return session;
    }

    /// <summary>Sets the outcome once; false when the form was already completed.</summary>
    internal bool TryComplete(VccSandboxSession session, string outcome)
    {
        lock (session)
        {
            if (session.Outcome is not null)
                return false;
            session.Outcome = outcome;
            return true;
        }
    }

    internal static string NewToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
