namespace Portal.Domain.Payments;

/// <summary>One product or service on a payment. Its final amount is always recomputed, never taken on trust.</summary>
public sealed class PaymentLine
{
    private PaymentLine() { }

    internal PaymentLine(string paymentId, int position, NewPaymentLine line)
    {
        PaymentId = paymentId;
        Position = position;
        Quantity = line.Quantity;
        UnitAmount = line.UnitAmount;
        UnitDiscountAmount = line.UnitDiscountAmount;
        DiscountAmount = line.DiscountAmount;
        FinalAmount = PaymentAmounts.LineFinal(Amounts);
        ProductId = Text.Optional(line.ProductId, 100, "product id");
        ProductName = Text.Optional(line.ProductName, 300, "product name");
        ProductVariant = Text.Optional(line.ProductVariant, 300, "product variant");
        ProductImage = Text.Optional(line.ProductImage, 2000, "product image url");
        ProductExternalId1 = Text.Optional(line.ProductExternalId1, 100, "product external id 1");
        ProductExternalId2 = Text.Optional(line.ProductExternalId2, 100, "product external id 2");
        TaxRate = line.TaxRate;
        IsFood = line.IsFood;
        IsGift = line.IsGift;
    }

    public long Id { get; private set; }

    public string PaymentId { get; private set; } = "";

    /// <summary>Order in which the line was added, for a stable display order.</summary>
    public int Position { get; private set; }

    public int Quantity { get; private set; }

    public long UnitAmount { get; private set; }

    public long UnitDiscountAmount { get; private set; }

    public long DiscountAmount { get; private set; }

    public long FinalAmount { get; private set; }

    public string? ProductId { get; private set; }

    public string? ProductName { get; private set; }

    public string? ProductVariant { get; private set; }

    public string? ProductImage { get; private set; }

    public string? ProductExternalId1 { get; private set; }

    public string? ProductExternalId2 { get; private set; }

    public decimal? TaxRate { get; private set; }

    public bool IsFood { get; private set; }

    public bool IsGift { get; private set; }

    internal LineAmounts Amounts => new(Quantity, UnitAmount, UnitDiscountAmount, DiscountAmount);

    internal void SetFinalAmount(long amount) => FinalAmount = amount;
}
