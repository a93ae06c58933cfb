namespace Portal.Domain.Payments;

/// <summary>A discount on the whole payment; <see cref="AppliedAmount"/> is what it actually took off, recomputed.</summary>
public sealed class PaymentDiscount
{
    private PaymentDiscount() { }

    internal PaymentDiscount(string paymentId, int position, NewPaymentDiscount discount)
    {
        PaymentId = paymentId;
        Position = position;
        Name = Text.Optional(discount.Name, 300, "discount name");
        Description = Text.Optional(discount.Description, 2000, "discount description");
        Amount = discount.Amount;
        Type = discount.Type;
        Value = discount.Value;
        Index = discount.Index;
        Rule.Validate();
    }

    public long Id { get; private set; }

    public string PaymentId { get; private set; } = "";

    /// <summary>Order in which the discount was added: breaks ties between equal <see cref="Index"/> values.</summary>
    public int Position { get; private set; }

    public string? Name { get; private set; }

    public string? Description { get; private set; }

    public long? Amount { get; private set; }

    public DiscountType? Type { get; private set; }

    public decimal? Value { get; private set; }

    /// <summary>Application order relative to the other discounts (lower first).</summary>
    public int Index { get; private set; }

    /// <summary>Minor units this discount took off the running total when last recomputed.</summary>
    public long AppliedAmount { get; private set; }

    internal DiscountRule Rule => new(Amount, Type, Value, Index);

    internal void SetAppliedAmount(long amount) => AppliedAmount = amount;
}
