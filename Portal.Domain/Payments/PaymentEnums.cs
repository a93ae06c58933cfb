namespace Portal.Domain.Payments;

/// <summary>Voucherly's <c>tenant</c>: test (<c>sand</c>) or live money.</summary>
public enum PaymentTenant
{
    Sand,
    Live,
}

public enum PaymentMode
{
    Payment,
    Wallet,
    Setup,
}

/// <summary>Which system the payment came from, so a support agent knows where to look next.</summary>
public enum PaymentSource
{
    Voucherly,
    Vcc,
    EComCharge,
    CardGateway,
    Demo,
    Portal,
}

/// <summary>The spec's <c>DOLLAROFF</c>, <c>PERCENOFF</c>, <c>FIXED</c>; see <see cref="DiscountTypes.Parse"/> for the wire spelling.</summary>
public enum DiscountType
{
    DollarOff,
    PercentOff,
    Fixed,
}

/// <summary>What the customer must do next at the gateway (spec: <c>OTP</c>, <c>REDIRECT</c>, <c>DROPIN</c>).</summary>
public enum CheckoutAction
{
    Otp,
    Redirect,
    DropIn,
}

public enum TransactionErrorCode
{
    Generic,
    Cancelled,
    NotCompleted,
    MissingPaymentMethod,
    Declined,
    System,
}
