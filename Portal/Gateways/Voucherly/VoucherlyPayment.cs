namespace Portal.Gateways.Voucherly;

// A faithful copy of the Voucherly Payment object (003_929307138958c053.txt), field for field,
// as System.Text.Json reads it (camelCase). Statuses, modes and discount types stay strings
// here; they are mapped onto the portal's enums by the poller. Amounts are integers in cents.

/// <summary>The Voucherly Payment object.</summary>
public sealed class VoucherlyPayment
{
    /// <summary>Unique identifier for the object.</summary>
    public string? Id { get; set; }

    /// <summary><c>live</c> or <c>sand</c>.</summary>
    public string? Tenant { get; set; }

    /// <summary>The merchant's own reference (customer id, cart id...).</summary>
    public string? ReferenceId { get; set; }

    /// <summary><c>Payment</c>, <c>Wallet</c> or <c>Setup</c>.</summary>
    public string? Mode { get; set; }

    public string? ParentPaymentId { get; set; }
    public string? CompanyId { get; set; }
    public string? CustomerId { get; set; }
    public string? CustomerEmail { get; set; }
    public string? CustomerFirstName { get; set; }
    public string? CustomerLastName { get; set; }
    public string? CustomerPhoneNumber { get; set; }
    public string? CustomerPaymentMethodId { get; set; }

    /// <summary>Default PaymentGateway used for the first transaction.</summary>
    public string? SelectedPaymentGatewayId { get; set; }

    public string? CheckoutUrl { get; set; }
    public VoucherlyOutcome? CloseCheckout { get; set; }
    public VoucherlyOutcome? Callback { get; set; }

    /// <summary>Sum of all line items, before discounts (cents).</summary>
    public long? TotalAmount { get; set; }

    /// <summary>Sum of all discounts (cents).</summary>
    public long? DiscountAmount { get; set; }

    /// <summary>totalAmount − discountAmount (cents).</summary>
    public long? FinalAmount { get; set; }

    /// <summary>Paid so far, including vouchers (cents).</summary>
    public long? PaidAmount { get; set; }

    /// <summary>Paid with vouchers (cents).</summary>
    public long? PaidVoucherAmount { get; set; }

    /// <summary>The remaining amount to be paid: finalAmount − paidAmount (cents). The document's example names it <c>amount</c>.</summary>
    public long? Amount { get; set; }

    /// <summary><c>Requested</c>, <c>Paid</c>, <c>Confirmed</c>, <c>Refunded</c>, <c>Cancelled</c>, <c>Voided</c>, <c>Expired</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Up to 10 keys (≤ 40 chars) with values ≤ 400 chars.</summary>
    public Dictionary<string, string?>? Metadata { get; set; }

    public List<VoucherlyTransaction>? Transactions { get; set; }
    public List<VoucherlyDiscount>? Discounts { get; set; }
    public List<VoucherlyLine>? Lines { get; set; }
}

/// <summary><c>closeCheckout</c> and <c>callback</c>: whether it succeeded, and when (UTC).</summary>
public sealed class VoucherlyOutcome
{
    public bool? Success { get; set; }
    public DateTimeOffset? Date { get; set; }
}

/// <summary>One payment attempt on one gateway.</summary>
public sealed class VoucherlyTransaction
{
    public string? Id { get; set; }
    public string? PaymentGatewayId { get; set; }
    public VoucherlyPaymentGateway? PaymentGateway { get; set; }
    public string? ExternalId1 { get; set; }
    public string? ExternalId2 { get; set; }
    public string? ExternalId3 { get; set; }
    public bool? IsWallet { get; set; }
    public VoucherlyError? Error { get; set; }
    public long? RequestedAmount { get; set; }
    public long? Amount { get; set; }
    public long? VoucherAmount { get; set; }
    public int? NoOfVouchers { get; set; }
    public long? ConfirmedAmount { get; set; }
    public long? RefundedAmount { get; set; }
    public string? Currency { get; set; }
    public VoucherlyCreditCard? CreditCard { get; set; }

    /// <summary>SEPA details; the adapter masks <see cref="VoucherlyDirectDebit.AccountIban"/> before anyone sees it.</summary>
    public VoucherlyDirectDebit? DirectDebit { get; set; }

    public string? HolderEmail { get; set; }
    public string? HolderName { get; set; }

    /// <summary><c>Requested</c>, <c>Paid</c>, <c>Confirmed</c>, <c>Refunded</c>, <c>RefundedPartially</c>, <c>Cancelled</c>, <c>Failed</c>, <c>Voided</c>, <c>Expired</c>, <c>Reversed</c>, <c>ImpossibleRefund</c>, <c>NextAction</c>.</summary>
    public string? Status { get; set; }

    public VoucherlyNextAction? Request { get; set; }
}

public sealed class VoucherlyPaymentGateway
{
    public string? Id { get; set; }
    public string? Name { get; set; }

    /// <summary>0, 1 or 2.</summary>
    public int? Type { get; set; }

    /// <summary><c>OTP</c>, <c>REDIRECT</c> or <c>DROPIN</c>.</summary>
    public string? PaymentAction { get; set; }

    public string? Image { get; set; }
    public string? Icon { get; set; }
}

public sealed class VoucherlyError
{
    /// <summary><c>Generic</c>, <c>Cancelled</c>, <c>NotCompleted</c>, <c>MissingPaymentMethod</c>, <c>Declined</c>, <c>System</c>.</summary>
    public string? Code { get; set; }

    public VoucherlyExternalError? ExternalError { get; set; }
}

public sealed class VoucherlyExternalError
{
    public string? Message { get; set; }
    public string? Code { get; set; }
}

public sealed class VoucherlyCreditCard
{
    public string? Brand { get; set; }

    /// <summary>Masked PAN (the adapter re-masks anything that looks like a full card number).</summary>
    public string? Pan { get; set; }

    /// <summary>Typically MM/YY.</summary>
    public string? Expiration { get; set; }

    public int? ExpirationMonth { get; set; }
    public int? ExpirationYear { get; set; }
    public string? Product { get; set; }
}

public sealed class VoucherlyDirectDebit
{
    public string? AccountId { get; set; }
    public string? AccountBic { get; set; }
    public string? AccountIban { get; set; }
}

/// <summary>The next action the customer must take (<c>request</c>).</summary>
public sealed class VoucherlyNextAction
{
    /// <summary><c>OTP</c>, <c>REDIRECT</c> or <c>DROPIN</c>.</summary>
    public string? Action { get; set; }

    public string? ExternalTransactionId { get; set; }
    public string? Url { get; set; }
}

public sealed class VoucherlyDiscount
{
    public string? DiscountName { get; set; }
    public string? DiscountDescription { get; set; }

    /// <summary>Cents to subtract; set when type and value are null.</summary>
    public long? Amount { get; set; }

    /// <summary><c>DOLLAROFF</c>, <c>PERCENOFF</c> or <c>FIXED</c>.</summary>
    public string? Type { get; set; }

    /// <summary>Contextual to <see cref="Type"/> (cents, or a percentage).</summary>
    public decimal? Value { get; set; }

    /// <summary>Application order.</summary>
    public int? Index { get; set; }
}

public sealed class VoucherlyLine
{
    public int? Quantity { get; set; }
    public long? UnitAmount { get; set; }
    public long? UnitDiscountAmount { get; set; }
    public long? DiscountAmount { get; set; }
    public long? FinalAmount { get; set; }
    public string? ProductId { get; set; }
    public string? ProductName { get; set; }
    public string? ProductVariant { get; set; }
    public string? ProductImage { get; set; }
    public string? ProductExternalId1 { get; set; }
    public string? ProductExternalId2 { get; set; }
    public decimal? TaxRate { get; set; }
    public bool? IsFood { get; set; }
    public bool? IsGift { get; set; }
}
