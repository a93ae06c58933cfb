namespace Portal.Domain.Payments;

/// <summary>Card or bank data that cannot be stored safely (unrecognisable, or not masked enough to mask).</summary>
public sealed class CardDataException(string message) : DomainException(message);
