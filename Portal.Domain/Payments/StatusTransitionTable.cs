using System.Collections.Frozen;

namespace Portal.Domain.Payments;

/// <summary>A from→to table for one status enum. Staying in the same status is not a transition.</summary>
public sealed class StatusTransitionTable<TStatus> where TStatus : struct, Enum
{
    private readonly FrozenDictionary<TStatus, FrozenSet<TStatus>> _allowed;

    internal StatusTransitionTable(IReadOnlyDictionary<TStatus, TStatus[]> allowed)
    {
        foreach (var status in Enum.GetValues<TStatus>())
        {
            if (!allowed.ContainsKey(status)) throw new InvalidOperationException($"Transition table lacks a row for {status}.");
        }
        _allowed = allowed.ToFrozenDictionary(e => e.Key, e => e.Value.ToFrozenSet());
    }

    public bool IsAllowed(TStatus from, TStatus to) => _allowed[from].Contains(to);

    public IReadOnlySet<TStatus> AllowedFrom(TStatus from) => _allowed[from];

    /// <summary>A final status has no way out: nothing a gateway reports later can overwrite it.</summary>
    public bool IsFinal(TStatus status) => _allowed[status].Count == 0;
}
