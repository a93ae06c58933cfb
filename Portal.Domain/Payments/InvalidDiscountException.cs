namespace Portal.Domain.Payments;

/// <summary>A discount whose amount/type/value combination the spec does not allow.</summary>
public sealed class InvalidDiscountException(string message) : DomainException(message);
