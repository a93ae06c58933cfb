namespace Portal.Domain.Payments;

/// <summary>A refund the model refuses: zero or negative, over confirmed − refunded, or on an attempt that was never captured.</summary>
public sealed class RefundNotAllowedException(string message) : DomainException(message);
