namespace Portal.Domain.Payments;

/// <summary>Metadata over the spec's limits (10 keys, key ≤ 40 characters, value ≤ 400 characters).</summary>
public sealed class MetadataLimitException(string message) : DomainException(message);
