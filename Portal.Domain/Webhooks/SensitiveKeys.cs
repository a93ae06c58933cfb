using System.Text;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Which JSON keys of an inbound payload hold card verification or PIN data, removed (key and
/// value) before the payload is read or stored (settings <c>Webhooks:SensitiveKeys</c>). A key is
/// compared lower-cased with <c>_ - .</c> and spaces removed:
/// <list type="bullet">
/// <item><see cref="Fragments"/> match anywhere in the key (<c>card_cvv</c>, <c>cvc_code</c>, <c>cvv2</c>);</item>
/// <item><see cref="Words"/> match one whole word of the key (split at <c>_ - .</c>, spaces and
/// camelCase): short names such as <c>cid</c> or <c>pin</c> would otherwise also hit
/// <c>incident_id</c> or <c>shipping</c>.</item>
/// </list>
/// </summary>
public sealed class SensitiveKeys
{
    public static readonly IReadOnlyList<string> DefaultFragments =
        ["cvv", "cvc", "cvn", "csc", "cvd", "cav2", "securitycode", "verificationvalue", "verificationcode", "trackdata", "track1", "track2", "magstripe", "pinblock"];

    public static readonly IReadOnlyList<string> DefaultWords = ["cid", "pin", "track"];

    public static SensitiveKeys Default { get; } = new(DefaultFragments, DefaultWords);

    public SensitiveKeys(IEnumerable<string> fragments, IEnumerable<string> words)
    {
        Fragments = fragments.Select(Normalize).Where(f => f.Length > 0).Distinct().ToArray();
        Words = words.Select(Normalize).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Fragments { get; }

    public IReadOnlySet<string> Words { get; }

    public bool IsSensitive(string key)
    {
        var normalized = Normalize(key);
        if (Fragments.Any(f => normalized.Contains(f, StringComparison.Ordinal))) return true;
        return SplitWords(key).Any(Words.Contains);
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            if (c is not ('_' or '-' or '.' or ' ')) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    private static IEnumerable<string> SplitWords(string key)
    {
        var word = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            var boundary = c is '_' or '-' or '.' or ' ' || (char.IsUpper(c) && i > 0 && char.IsLower(key[i - 1]));
            if (boundary && word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
            if (c is not ('_' or '-' or '.' or ' ')) word.Append(char.ToLowerInvariant(c));
        }
        if (word.Length > 0) yield return word.ToString();
    }
}
