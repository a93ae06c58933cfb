namespace Portal.Domain.Payments;

/// <summary>Length checks with a message a person can act on, matching the column sizes in the mapping.</summary>
internal static class Text
{
    public static string? Optional(string? value, int maxLength, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength) throw new DomainException($"The {what} is longer than {maxLength} characters.");
        return trimmed;
    }

    public static string Required(string? value, int maxLength, string what) =>
        Optional(value, maxLength, what) ?? throw new DomainException($"The {what} is required.");

    public static DateTime Utc(DateTime value, string what) =>
        value.Kind == DateTimeKind.Utc ? value : throw new DomainException($"The {what} must be a UTC time.");
}
