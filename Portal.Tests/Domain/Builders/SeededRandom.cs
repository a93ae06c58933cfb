namespace Portal.Tests.Domain.Builders;

/// <summary>
/// SplitMix64: a tiny, seedable generator whose sequence is fixed by its seed on every runtime,
/// so a failing generated case can be reproduced from the seed in the assertion message.
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [min, max] inclusive.</summary>
    public long Between(long min, long max) => min + (long)(NextULong() % (ulong)(max - min + 1));

    public int Between(int min, int max) => (int)Between((long)min, max);

    public bool Chance(int percent) => Between(1, 100) <= percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Between(0, i);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
