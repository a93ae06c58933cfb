namespace Portal.Domain.Money;

/// <summary>A currency code the portal does not know, so it cannot know its minor-unit exponent.</summary>
public sealed class UnknownCurrencyException(string? code)
    : DomainException($"Unknown currency code '{code}': expected an ISO 4217 code such as EUR, USD or HUF.")
{
    public string? Code { get; } = code;
}
