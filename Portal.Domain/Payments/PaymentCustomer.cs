namespace Portal.Domain.Payments;

/// <summary>The spec's customer fields on a payment. All optional: a phone payment may know no customer.</summary>
public sealed class PaymentCustomer
{
    private PaymentCustomer() { }

    /// <summary>A fresh empty customer each time: EF tracks owned values per owner, so instances are never shared.</summary>
    public static PaymentCustomer None => new();

    public static PaymentCustomer Create(string? id = null, string? email = null, string? firstName = null,
        string? lastName = null, string? phoneNumber = null, string? paymentMethodId = null) => new()
    {
        Id = Text.Optional(id, 100, "customer id"),
        Email = Text.Optional(email, 256, "customer email"),
        FirstName = Text.Optional(firstName, 100, "customer first name"),
        LastName = Text.Optional(lastName, 100, "customer last name"),
        PhoneNumber = Text.Optional(phoneNumber, 50, "customer phone number"),
        PaymentMethodId = Text.Optional(paymentMethodId, 100, "customer payment method id"),
    };

    public string? Id { get; private set; }

    public string? Email { get; private set; }

    public string? FirstName { get; private set; }

    public string? LastName { get; private set; }

    public string? PhoneNumber { get; private set; }

    public string? PaymentMethodId { get; private set; }

    /// <summary>Lower-case email, stored in its own indexed column so search is an index seek.</summary>
    public string? NormalizedEmail => Email?.ToLowerInvariant();

    /// <summary>"First Last", stored for search and list display.</summary>
    public string? FullName => string.Join(' ', new[] { FirstName, LastName }.Where(n => n is not null)) is { Length: > 0 } n ? n : null;

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal PaymentCustomer Copy() => (PaymentCustomer)MemberwiseClone();
}
