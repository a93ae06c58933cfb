using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Finds and masks card data in inbound text. A card number is a Luhn-valid run of 13 to 19
/// digits, written together or in groups separated by single spaces or dashes, wherever it
/// stands (inside an id, an email, a URL, a JSON number or a key); it keeps only its first 6 and
/// last 4 digits. A digit run of 12 or fewer, or of 20 or more digits without separators, is not
/// a card number and stays readable (order references, phone numbers).
/// <para>
/// <see cref="Scrub"/> is what the webhook receiver runs on every body before anything reads it,
/// so ids, emails, references, messages, event keys, audit entries and log lines are built from
/// masked text only. <see cref="Mask"/> additionally hides card tokens, secrets and IBANs in the
/// copy that is stored.
/// </para>
/// </summary>
public static partial class PayloadMasker
{
    private static readonly HashSet<string> Secrets = new(StringComparer.OrdinalIgnoreCase)
    {
        "cvv", "cvc", "cvv2", "cvc2", "verification_value", "securitycode", "security_code", "token",
        "card_token", "password", "secret", "secret_key", "agentaccesstoken", "agentrefreshtoken",
    };

    private static readonly HashSet<string> Ibans = new(StringComparer.OrdinalIgnoreCase) { "iban", "accountiban", "account_iban" };

    /// <summary>
    /// The copy of a payload that is stored: card numbers masked everywhere (strings, numbers,
    /// keys), sensitive keys (CVV and the like, see <see cref="SensitiveKeys"/>) removed, card
    /// tokens and secrets replaced by <c>***</c>, IBANs masked.
    /// </summary>
    public static string Mask(JsonNode? node, SensitiveKeys? sensitiveKeys = null)
    {
        var copy = Scrub(node, sensitiveKeys);
        MaskSecrets(copy);
        return copy?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
    }

    /// <summary>
    /// A copy of the payload with every card number masked (in string values, in numbers, in
    /// property names) and every sensitive key removed, at any depth. The parsers read this copy,
    /// never the raw body. Card tokens are left in (they are encrypted when kept).
    /// </summary>
    public static JsonNode? Scrub(JsonNode? node, SensitiveKeys? sensitiveKeys = null)
    {
        var keys = sensitiveKeys ?? SensitiveKeys.Default;
        return ScrubNode(node?.DeepClone(), keys);
    }

    /// <summary>Masks every card number found in free text (log messages, error texts, ids).</summary>
    public static string MaskText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? result = null;
        var copied = 0;
        foreach (Match run in DigitRun().Matches(text))
        {
            var groups = run.Value.Split(' ', '-');
            var offsets = new int[groups.Length];
            for (int g = 1, at = groups[0].Length + 1; g < groups.Length; at += groups[g].Length + 1, g++) offsets[g] = at;
            var i = 0;
            while (i < groups.Length)
            {
                var end = LongestCardWindow(groups, i);
                if (end < 0) { i++; continue; }
                var start = run.Index + offsets[i];
                var stop = run.Index + offsets[end] + groups[end].Length;
                result ??= new StringBuilder(text.Length);
                result.Append(text, copied, start - copied).Append(MaskDigits(string.Concat(groups[i..(end + 1)])));
                copied = stop;
                i = end + 1;
            }
        }
        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>True when the text holds a card number anywhere (see the class remarks).</summary>
    public static bool ContainsCardNumber(string text) => !ReferenceEquals(MaskText(text), text);

    /// <summary>
    /// True when the whole text is a card number: 13 to 19 digits (optionally grouped by single
    /// spaces or dashes) that pass the Luhn check.
    /// </summary>
    public static bool IsCardNumber(string text)
    {
        var trimmed = text.Trim();
        return WholeCardNumber().IsMatch(trimmed) && PassesLuhn(new string(trimmed.Where(char.IsAsciiDigit).ToArray()));
    }

    /// <summary>True when the whole text is a card number as <see cref="MaskText"/> leaves it (first 6, stars, last 4).</summary>
    public static bool IsMaskedCardNumber(string text) => MaskedCardNumber().IsMatch(text.Trim());

    /// <summary>The index of the last group of the longest Luhn-valid 13–19 digit window starting at group <paramref name="first"/>, or -1.</summary>
    private static int LongestCardWindow(string[] groups, int first)
    {
        var found = -1;
        var digits = 0;
        for (var last = first; last < groups.Length; last++)
        {
            digits += groups[last].Length;
            if (digits > 19) break;
            if (digits >= 13 && PassesLuhn(string.Concat(groups[first..(last + 1)]))) found = last;
        }
        return found;
    }

    private static string MaskDigits(string digits) => digits[..6] + new string('*', digits.Length - 10) + digits[^4..];

    private static JsonNode? ScrubNode(JsonNode? node, SensitiveKeys keys)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (keys.IsSensitive(key))
                    {
                        obj.Remove(key);
                        continue;
                    }
                    var scrubbed = ScrubNode(child, keys);
                    var maskedKey = MaskText(key);
                    if (!ReferenceEquals(maskedKey, key))
                    {
                        obj.Remove(key);
                        // Two keys holding card numbers with the same first 6 and last 4: keep the first.
                        if (!obj.ContainsKey(maskedKey)) obj[maskedKey] = scrubbed;
                    }
                    else if (!ReferenceEquals(scrubbed, child))
                    {
                        obj[key] = scrubbed;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    var scrubbed = ScrubNode(child, keys);
                    if (!ReferenceEquals(scrubbed, child)) array[i] = scrubbed;
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var masked = MaskText(text);
                return ReferenceEquals(masked, text) ? value : JsonValue.Create(masked);
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                // A card number sent as a JSON number ("pan":4111111111111111) becomes a masked string.
                var raw = value.ToJsonString();
                var maskedNumber = MaskText(raw);
                return ReferenceEquals(maskedNumber, raw) ? value : JsonValue.Create(maskedNumber);
            default:
                return node;
        }
    }

    private static void MaskSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && Secrets.Contains(key) && value.GetValueKind() != JsonValueKind.Null)
                        obj[key] = "***";
                    else if (child is JsonValue iban && Ibans.Contains(key) && iban.TryGetValue<string>(out var ibanText))
                        obj[key] = MaskIban(ibanText);
                    else
                        MaskSecrets(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array) MaskSecrets(child);
                break;
        }
    }

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt && (d *= 2) > 9) d -= 9;
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static string MaskIban(string iban)
    {
        var compact = iban.Replace(" ", "", StringComparison.Ordinal);
        return compact.Length <= 6 ? "****" : compact[..2] + new string('*', compact.Length - 6) + compact[^4..];
    }

    // ASCII digit groups separated by single spaces or dashes; windows of 13 to 19 digits inside are checked.
    [GeneratedRegex(@"(?<![0-9])[0-9]+(?:[ -][0-9]+)*")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"^(?:[0-9][ -]?){12,18}[0-9]$")]
    private static partial Regex WholeCardNumber();

    [GeneratedRegex(@"^[0-9]{6}\*{3,9}[0-9]{4}$")]
    private static partial Regex MaskedCardNumber();
}
