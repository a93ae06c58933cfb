using System.Collections;
using System.Text.Json;

namespace Portal.Domain.Payments;

/// <summary>
/// The spec's key-value metadata with its limits (10 keys, key ≤ 40, value ≤ 400 characters),
/// enforced here so no source can store more than a gateway would accept back. Immutable:
/// changing metadata replaces the whole value, which keeps EF change detection trivial.
/// Stored as one JSON text column; keys are kept in ordinal order so equal metadata has equal JSON.
/// </summary>
public sealed class PaymentMetadata : IReadOnlyDictionary<string, string>, IEquatable<PaymentMetadata>
{
    public const int MaxKeys = 10;
    public const int MaxKeyLength = 40;
    public const int MaxValueLength = 400;

    private readonly SortedDictionary<string, string> _entries;

    private PaymentMetadata(SortedDictionary<string, string> entries) => _entries = entries;

    public static PaymentMetadata Empty => new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <exception cref="MetadataLimitException">More than 10 keys, an empty or too long key, or a too long value.</exception>
    public static PaymentMetadata From(IEnumerable<KeyValuePair<string, string>>? entries)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries ?? [])
        {
            if (string.IsNullOrWhiteSpace(key)) throw new MetadataLimitException("Metadata keys cannot be empty.");
            if (key.Length > MaxKeyLength)
                throw new MetadataLimitException($"The metadata key '{key[..MaxKeyLength]}…' is {key.Length} characters long; the limit is {MaxKeyLength}.");
            if ((value?.Length ?? 0) > MaxValueLength)
                throw new MetadataLimitException($"The value of metadata key '{key}' is {value!.Length} characters long; the limit is {MaxValueLength}.");
            if (!sorted.TryAdd(key, value ?? "")) throw new MetadataLimitException($"The metadata key '{key}' appears twice.");
        }
        if (sorted.Count > MaxKeys)
            throw new MetadataLimitException($"Metadata has {sorted.Count} keys; the limit is {MaxKeys}.");
        return new PaymentMetadata(sorted);
    }

    public string ToJson() => JsonSerializer.Serialize(_entries);

    /// <summary>Reads what this type wrote; limits were enforced when it was written.</summary>
    internal static PaymentMetadata FromStoredJson(string json) =>
        new(string.IsNullOrEmpty(json)
            ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            : new SortedDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal));

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<string> Values => _entries.Values;

    public string this[string key] => _entries[key];

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, out string value) => _entries.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(PaymentMetadata? other) => other is not null && ToJson() == other.ToJson();

    public override bool Equals(object? obj) => obj is PaymentMetadata other && Equals(other);

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
