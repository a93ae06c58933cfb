using System.Globalization;
using System.Text.Json;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Reads typed fields out of a JSON payload and collects every problem with its path, so a
/// sender gets one answer listing all that is wrong instead of the first error only.
/// </summary>
internal sealed class JsonFields
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
        return text;
    }

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

    public decimal? Decimal(JsonElement? parent, string name, string path, bool required)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Error($"{path} is required.");
            return null;
        }
        decimal number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out number)) { }
        else if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)) { }
        else
        {
            Error($"{path} must be a number.");
            return null;
        }
        if (number < 0)
        {
            Error($"{path} must not be negative.");
            return null;
        }
        return number;
    }

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
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at.UtcDateTime;
        Error($"{path} must be a date and time (ISO 8601).");
        return null;
    }
}
