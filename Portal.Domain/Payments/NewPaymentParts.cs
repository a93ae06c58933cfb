using Portal.Domain.Money;

namespace Portal.Domain.Payments;

/// <summary>What a payment is created from (by the portal, the demo generator or a gateway adapter).</summary>
public sealed record NewPayment
{
    /// <summary>Leave null to get a fresh "pay_…" id; an adapter may adopt a gateway's globally unique id.</summary>
    public string? Id { get; init; }

    public required Currency Currency { get; init; }

    public required PaymentSource Source { get; init; }

    public required DateTime CreatedAtUtc { get; init; }

    public PaymentTenant Tenant { get; init; } = PaymentTenant.Live;

    public PaymentMode Mode { get; init; } = PaymentMode.Payment;

    public string? ReferenceId { get; init; }

    public string? ParentPaymentId { get; init; }

    public string? CompanyId { get; init; }

    public PaymentCustomer? Customer { get; init; }

    public string? SelectedGatewayId { get; init; }

    public string? CheckoutUrl { get; init; }

    public IEnumerable<KeyValuePair<string, string>>? Metadata { get; init; }

    /// <summary>Contact-centre call this payment was taken on, if any.</summary>
    public string? CallUuid { get; init; }

    public string? AgentName { get; init; }

    public string? ProjectId { get; init; }

    public bool InCall { get; init; }
}

/// <summary>A line item to add to a payment; amounts in minor units of the payment's currency.</summary>
public sealed record NewPaymentLine
{
    public int Quantity { get; init; } = 1;

    public required long UnitAmount { get; init; }

    public long UnitDiscountAmount { get; init; }

    public long DiscountAmount { get; init; }

    public string? ProductId { get; init; }

    public string? ProductName { get; init; }

    public string? ProductVariant { get; init; }

    public string? ProductImage { get; init; }

    public string? ProductExternalId1 { get; init; }

    public string? ProductExternalId2 { get; init; }

    /// <summary>As the gateway gives it (e.g. 22 for 22 %); not used in amount calculations.</summary>
    public decimal? TaxRate { get; init; }

    public bool IsFood { get; init; }

    public bool IsGift { get; init; }
}

/// <summary>A discount to add to a payment; see <see cref="DiscountRule"/> for which fields are required.</summary>
public sealed record NewPaymentDiscount
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public long? Amount { get; init; }

    public DiscountType? Type { get; init; }

    public decimal? Value { get; init; }

    public int Index { get; init; }
}

/// <summary>
/// A gateway attempt to add to a payment. Its initial status is taken as given (an adapter
/// mirrors what the gateway already knows); later changes go through the transition table.
/// </summary>
public sealed record NewTransaction
{
    public string? Id { get; init; }

    public required DateTime CreatedAtUtc { get; init; }

    public GatewayRef Gateway { get; init; } = GatewayRef.None;

    public TransactionStatus Status { get; init; } = TransactionStatus.Requested;

    /// <summary>Null means the payment's currency; any other currency is refused.</summary>
    public Currency? Currency { get; init; }

    public long RequestedAmount { get; init; }

    /// <summary>The spec's transaction <c>amount</c>: what was actually processed, vouchers included.</summary>
    public long ProcessedAmount { get; init; }

    public long VoucherAmount { get; init; }

    public int NoOfVouchers { get; init; }

    public long ConfirmedAmount { get; init; }

    public long RefundedAmount { get; init; }

    public string? ExternalId1 { get; init; }

    public string? ExternalId2 { get; init; }

    public string? ExternalId3 { get; init; }

    public bool IsWallet { get; init; }

    public CardDetails? Card { get; init; }

    public DirectDebitDetails? DirectDebit { get; init; }

    public string? HolderName { get; init; }

    public string? HolderEmail { get; init; }

    public TransactionError? Error { get; init; }

    public NextActionRequest? NextAction { get; init; }

    /// <summary>The portal's idempotency key sent to the gateway (eComCharge <c>tracking_id</c>).</summary>
    public string? TrackingId { get; init; }

    /// <summary>The card token already encrypted by the web layer (Data Protection).</summary>
    public string? CardTokenProtected { get; init; }
}

/// <summary>Amounts a gateway reports for a transaction, applied with <see cref="PaymentTransaction.RecordReportedAmounts"/>.</summary>
public sealed record TransactionAmountsReport(long RequestedAmount, long ProcessedAmount, long VoucherAmount, int NoOfVouchers,
    long ConfirmedAmount, long RefundedAmount);

/// <summary>Totals a gateway reports for a payment; null means "not reported" and is not compared.</summary>
public sealed record ReportedTotals(long? TotalAmount = null, long? DiscountAmount = null, long? FinalAmount = null,
    long? PaidAmount = null, long? PaidVoucherAmount = null, long? RemainingAmount = null);
