namespace Portal.DemoData;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every runtime and
/// platform (System.Random's algorithm is an implementation detail), so a seed always gives the
/// same demo data. Streams derived from (seed, purpose, index) let any payment be generated on
/// its own, in any order or in parallel, with the same result.
/// </summary>
public sealed class DemoRandom
{
    private ulong _state;

    public DemoRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream for one purpose (e.g. "payment") and one index.</summary>
    public static DemoRandom For(ulong seed, DemoStream stream, long index) =>
        new(Mix(seed ^ Mix(((ulong)stream << 56) ^ (ulong)index ^ 0x5DEECE66DUL)));

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

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with the given probability in per mille (1 = 0.1 %).</summary>
    public bool PerMille(int perMille) => Between(0, 999) < perMille;

    public bool Percent(int percent) => Between(0, 99) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    /// <summary>Picks by integer weights.</summary>
    public T Weighted<T>(IReadOnlyList<(T Item, int Weight)> items)
    {
        var total = 0;
        foreach (var (_, weight) in items) total += weight;
        var roll = Between(0, total - 1);
        foreach (var (item, weight) in items)
        {
            if (roll < weight) return item;
            roll -= weight;
        }
        return items[^1].Item;
    }

    /// <summary>Lower-case hex that starts with a letter, so an id never reads as a long run of digits (a card number).</summary>
    public string Hex(int length)
    {
        const string digits = "0123456789abcdef";
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = i == 0 ? digits[10 + Between(0, 5)] : digits[(int)(NextULong() & 15)];
        return new string(chars);
    }

    public string Digits(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('0' + Between(0, 9));
        return new string(chars);
    }

    /// <summary>A version-4-shaped GUID from this stream (Guid.NewGuid would not be reproducible).</summary>
    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextULong());
        BitConverter.TryWriteBytes(bytes[8..], NextULong());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Independent random streams of the generator, one per purpose.</summary>
public enum DemoStream : byte
{
    Schedule = 1,
    Payment = 2,
    PaymentId = 3,
    Customer = 4,
    CustomerOf = 5,
}

/// <summary>
/// Ids in the domain's format ("pay_" + 26-character ULID: 48-bit milliseconds then 80 random
/// bits, Crockford base32), but with the random part from the demo stream so they repeat.
/// </summary>
internal static class DemoIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(string prefix, DateTime atUtc, DemoRandom random)
    {
        var millis = new DateTimeOffset(atUtc).ToUnixTimeMilliseconds();
        Span<char> chars = stackalloc char[26];
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(millis & 31)];
            millis >>= 5;
        }
        var bits = random.NextULong();
        var more = random.NextULong();
        for (var i = 10; i < 26; i++)
        {
            chars[i] = Alphabet[(int)(bits & 31)];
            bits = (bits >> 5) | ((more & 31) << 59);
            more >>= 5;
        }
        return prefix + "_" + new string(chars);
    }
}
