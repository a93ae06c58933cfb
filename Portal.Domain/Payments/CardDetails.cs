namespace Portal.Domain.Payments;

/// <summary>
/// What may be kept about a card: brand, masked PAN, last four, expiry, product. A full PAN
/// given here is masked before it is assigned, so it never reaches a property, the database
/// or a log.
/// </summary>
public sealed class CardDetails
{
    private CardDetails() { }

    /// <param name="pan">Full or masked PAN; re-masked to first six / last four. May be null when only <paramref name="last4"/> is known.</param>
    /// <param name="last4">Used when no PAN is given (the contact-centre callback sends only the trailing four).</param>
    /// <param name="expirationYear">Four digits; two digits are read as 20YY.</param>
    public static CardDetails Create(string? pan, string? last4 = null, string? brand = null,
        int? expirationMonth = null, int? expirationYear = null, string? product = null)
    {
        string? masked = null;
        if (!string.IsNullOrWhiteSpace(pan))
        {
            masked = SensitiveData.MaskPan(pan);
            last4 = masked[^4..];
        }
        if (last4 is null || last4.Length != 4 || !last4.All(char.IsAsciiDigit))
            throw new CardDataException("Card details need a card number or its last four digits.");
        if (expirationMonth is < 1 or > 12) throw new CardDataException("A card's expiration month must be 1 to 12.");
        if (expirationYear is >= 0 and < 100) expirationYear += 2000;
        if (expirationYear is < 2000 or > 2199) throw new CardDataException("A card's expiration year must have four digits.");
        return new CardDetails
        {
            MaskedPan = masked,
            Last4 = last4,
            Brand = Text.Optional(brand, 50, "card brand"),
            ExpirationMonth = expirationMonth,
            ExpirationYear = expirationYear,
            Product = Text.Optional(product, 100, "card product"),
        };
    }

    public string? Brand { get; private set; }

    /// <summary>First six / last four at most, e.g. <c>411111******1111</c>.</summary>
    public string? MaskedPan { get; private set; }

    public string Last4 { get; private set; } = "";

    public int? ExpirationMonth { get; private set; }

    public int? ExpirationYear { get; private set; }

    /// <summary>The spec's <c>expiration</c> (MM/YY), derived so it can never disagree with month and year.</summary>
    public string? Expiration => ExpirationMonth is { } m && ExpirationYear is { } y ? $"{m:00}/{y % 100:00}" : null;

    public string? Product { get; private set; }

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal CardDetails Copy() => (CardDetails)MemberwiseClone();
}
