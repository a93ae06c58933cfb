using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Masks card data in an inbound payload before it is stored or logged: a full card number
/// (anywhere, under any key) keeps only its first 6 and last 4 digits; CVV/CVC values, card
/// tokens and secrets are replaced; an IBAN keeps its country and last 4 characters.
/// </summary>
public static partial class PayloadMasker
{
    private static readonly HashSet<string> Secrets = new(StringComparer.OrdinalIgnoreCase)
    {
        "cvv", "cvc", "cvv2", "cvc2", "verification_value", "securitycode", "security_code", "token",
        "card_token", "password", "secret", "secret_key", "agentaccesstoken", "agentrefreshtoken",
    };

    private static readonly HashSet<string> Ibans = new(StringComparer.OrdinalIgnoreCase) { "iban", "accountiban", "account_iban" };

    public static string Mask(JsonNode? node)
    {
        var copy = node?.DeepClone();
        MaskNode(copy, null);
        return copy?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
    }

    /// <summary>Masks any card number found in free text (used for log messages and error texts).</summary>
    public static string MaskText(string text) => CardNumber().Replace(text, m => MaskPan(m.Value));

    /// <summary>True when the text holds a digit sequence that passes the card-number (Luhn) check.</summary>
    public static bool ContainsCardNumber(string text) =>
        CardNumber().Matches(text).Any(m => PassesLuhn(new string(m.Value.Where(char.IsDigit).ToArray())));

    /// <summary>
    /// True when the whole text is a card number: 13 to 19 digits (optionally grouped by single
    /// spaces or dashes) that pass the Luhn check.
    /// </summary>
    public static bool IsCardNumber(string text)
    {
        var trimmed = text.Trim();
        return WholeCardNumber().IsMatch(trimmed) && PassesLuhn(new string(trimmed.Where(char.IsAsciiDigit).ToArray()));
    }

    private static void MaskNode(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (childKey, child) in obj.ToList())
                {
                    if (child is JsonValue value && Secrets.Contains(childKey) && value.GetValueKind() != JsonValueKind.Null)
                        obj[childKey] = "***";
                    else if (child is JsonValue iban && Ibans.Contains(childKey) && iban.TryGetValue<string>(out var ibanText))
                        obj[childKey] = MaskIban(ibanText);
                    else
                        MaskNode(child, childKey);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s) && ContainsCardNumber(s))
                        array[i] = MaskText(s);
                    else
                        MaskNode(array[i], key);
                }
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && ContainsCardNumber(text):
                value.ReplaceWith(MaskText(text));
                break;
        }
    }

    private static string MaskPan(string match)
    {
        var digits = new string(match.Where(char.IsDigit).ToArray());
        // Only Luhn-valid sequences are card numbers: long order ids and phone numbers stay readable.
        return digits.Length < 13 || !PassesLuhn(digits) ? match : digits[..6] + new string('*', digits.Length - 10) + digits[^4..];
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

    // 13 to 19 digits, optionally grouped by single spaces or dashes: the shape of a card number.
    [GeneratedRegex(@"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"^(?:[0-9][ -]?){12,18}[0-9]$")]
    private static partial Regex WholeCardNumber();
}
