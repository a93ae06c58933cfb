namespace Portal.Domain.Payments;

/// <summary>Maps the Voucherly spelling of discount types to the model, for gateway adapters.</summary>
public static class DiscountTypes
{
    public static DiscountType Parse(string value) => value.Trim().ToUpperInvariant() switch
    {
        "DOLLAROFF" => DiscountType.DollarOff,
        "PERCENOFF" or "PERCENTOFF" => DiscountType.PercentOff,
        "FIXED" => DiscountType.Fixed,
        _ => throw new DomainException($"Unknown discount type '{value}': expected DOLLAROFF, PERCENOFF or FIXED."),
    };

    public static string ToWire(DiscountType type) => type switch
    {
        DiscountType.DollarOff => "DOLLAROFF",
        DiscountType.PercentOff => "PERCENOFF",
        _ => "FIXED",
    };
}

/// <summary>Maps the Voucherly spelling of checkout actions to the model, for gateway adapters.</summary>
public static class CheckoutActions
{
    public static CheckoutAction Parse(string value) => value.Trim().ToUpperInvariant() switch
    {
        "OTP" => CheckoutAction.Otp,
        "REDIRECT" => CheckoutAction.Redirect,
        "DROPIN" => CheckoutAction.DropIn,
        _ => throw new DomainException($"Unknown checkout action '{value}': expected OTP, REDIRECT or DROPIN."),
    };
}
