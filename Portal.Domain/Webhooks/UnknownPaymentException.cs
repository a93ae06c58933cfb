namespace Portal.Domain.Webhooks;

/// <summary>
/// An event about a payment or transaction the portal does not hold (yet): it may arrive before
/// the import or the charge it reports on is recorded, so the failure is transient and retried.
/// </summary>
public sealed class UnknownPaymentException(string message) : DomainException(message);
