using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Reads typed fields out of a JSON payload and collects every problem with its path, so a
/// sender gets one answer listing all that is wrong instead of the first error only.
/// </summary>
internal sealed partial class JsonFields
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Error(string message) => _errors.Add(message);

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new InboundValidationException(_errors);
    }

    public JsonElement? Object(JsonElement? parent, string name, string path, bool required)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error($"{path} is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error($"{path} must be an object.");
            return null;
        }
        return value;
    }

    public string? String(JsonElement? parent, string name, string path, bool required, int maxLength = 200)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error($"{path} is required.");
            return null;
        }
        if (value.ValueKind is JsonValueKind.Number && !required)
            return value.GetRawText();
        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"{path} must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            Error($"{path} must not be empty.");
            return null;
        }
        if (text.Length > maxLength)
        {
            Error($"{path} is longer than {maxLength} characters.");
            return null;
        }
        if (text.Any(IsForbiddenControl))
        {
            Error($"{path} contains a control character (U+0000 to U+001F other than tab and line breaks).");
            return null;
        }
        return text;
    }

    /// <summary>
    /// An identifier (ours or the sender's): a string without control characters that is not a
    /// card number. An id that is a Luhn-valid 13–19 digit number is refused outright, before
    /// anything is stored or logged, because ids are kept, shown and logged unmasked.
    /// </summary>
    public string? Id(JsonElement? parent, string name, string path, bool required, int maxLength)
    {
        var id = String(parent, name, path, required, maxLength);
        if (id is null) return null;
        if (id.Any(char.IsControl))
        {
            Error($"{path} contains a control character.");
            return null;
        }
        // The receiver masks card numbers before parsing, so a card-number id arrives masked here.
        if (PayloadMasker.IsCardNumber(id) || PayloadMasker.IsMaskedCardNumber(id))
        {
            Error($"{path} looks like a card number ({PayloadMasker.MaskText(id)}); an id that is a card number is refused so that it is never stored.");
            return null;
        }
        return id;
    }

    /// <summary>Free text (names, messages): card numbers in it are masked; empty means absent.</summary>
    public string? Text(JsonElement? parent, string name, string path, int maxLength)
    {
        var text = String(parent, name, path, required: false, maxLength);
        return string.IsNullOrWhiteSpace(text) ? null : PayloadMasker.MaskText(text.Trim());
    }

    /// <summary>An optional email address: empty means absent; otherwise a single address (no display name) within the domain's length.</summary>
    public string? Email(JsonElement? parent, string name, string path)
    {
        var text = String(parent, name, path, required: false, maxLength: InboundLimits.EmailMaxLength);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !string.IsNullOrEmpty(address.DisplayName))
        {
            Error($"{path} '{trimmed}' is not an email address.");
            return null;
        }
        return trimmed;
    }

    private static bool IsForbiddenControl(char c) => c < ' ' && c is not '\t' and not '\n' and not '\r';

    public long? Integer(JsonElement? parent, string name, string path, bool required, long min = long.MinValue, long max = long.MaxValue)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error($"{path} is required.");
            return null;
        }
        long number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number)) { }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number)) { }
        else
        {
            Error($"{path} must be a whole number.");
            return null;
        }
        if (number < min || number > max)
        {
            Error($"{path} must be between {min} and {max}.");
            return null;
        }
        return number;
    }

    /// <summary>
    /// A decimal amount written plainly (JSON number or string): at most 18 digits before the
    /// point and 10 after, no exponent. That is exactly representable as a .NET decimal, so no
    /// digit is silently rounded away (1e-400 would otherwise read as 0, and a 30-digit
    /// fraction as a rounded value).
    /// </summary>
    public decimal? Decimal(JsonElement? parent, string name, string path, bool required)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error($"{path} is required.");
            return null;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!,
            _ => null,
        };
        if (text is null || !PlainDecimal().IsMatch(text))
        {
            Error($"{path} must be a plain decimal number such as 9.99 (at most 18 digits before the point and 10 after, no exponent).");
            return null;
        }
        var number = decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (number < 0 || text.StartsWith('-'))
        {
            Error($"{path} must not be negative.");
            return null;
        }
        return number;
    }

    [GeneratedRegex(@"^-?[0-9]{1,18}(\.[0-9]{1,10})?$")]
    private static partial Regex PlainDecimal();

    public bool? Boolean(JsonElement? parent, string name, string path)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Error($"{path} must be true or false.");
        return null;
    }

    public DateTime? Timestamp(JsonElement? parent, string name, string path)
    {
        var text = String(parent, name, path, required: false, maxLength: 40);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at.UtcDateTime;
        Error($"{path} must be a date and time (ISO 8601).");
        return null;
    }
}
