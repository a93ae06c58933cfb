using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <summary>
/// One Voucherly Payment object (003_929307138958c053.txt) in the model's own types: enums parsed,
/// card and IBAN masked, metadata checked against its limits. Built by the web layer's mapper;
/// <see cref="VoucherlySync"/> turns it into a new <see cref="Payment"/> or applies it to a known one.
/// </summary>
public sealed record VoucherlyPaymentReport
{
    /// <summary>Voucherly's own payment id (the key to ask for it again).</summary>
    public required string VoucherlyPaymentId { get; init; }

    public required PaymentTenant Tenant { get; init; }

    public PaymentMode Mode { get; init; } = PaymentMode.Payment;

    public string? ReferenceId { get; init; }

    public string? ParentPaymentId { get; init; }

    public string? CompanyId { get; init; }

    public PaymentCustomer Customer { get; init; } = PaymentCustomer.None;

    public string? SelectedGatewayId { get; init; }

    public string? CheckoutUrl { get; init; }

    /// <summary>The spec's <c>closeCheckout</c>, when Voucherly reported one with a date.</summary>
    public VoucherlyEventReport? CloseCheckout { get; init; }

    /// <summary>The spec's <c>callback</c>, when Voucherly reported one with a date.</summary>
    public VoucherlyEventReport? Callback { get; init; }

    /// <summary>
    /// The payment object has no currency of its own: it is the transactions' currency, or the
    /// configured default while there is no transaction yet.
    /// </summary>
    public required Currency Currency { get; init; }

    public required PaymentStatus Status { get; init; }

    public PaymentMetadata Metadata { get; init; } = PaymentMetadata.Empty;

    public IReadOnlyList<NewPaymentLine> Lines { get; init; } = [];

    public IReadOnlyList<NewPaymentDiscount> Discounts { get; init; } = [];

    /// <summary>
    /// Every attempt, with Voucherly's transaction id as <see cref="NewTransaction.Id"/> (the key
    /// that matches an attempt on the next read) and its status as reported. Voucherly gives no
    /// time per attempt: <see cref="NewTransaction.CreatedAtUtc"/> is when the portal read it.
    /// </summary>
    public IReadOnlyList<NewTransaction> Transactions { get; init; } = [];

    /// <summary>Voucherly's totals (total, discount, final, paid, paid by voucher, remaining = the spec's payment <c>amount</c>).</summary>
    public ReportedTotals Totals { get; init; } = new();

    /// <summary>When the portal read this (UTC).</summary>
    public required DateTime ObservedAtUtc { get; init; }
}

/// <summary>A dated yes/no event Voucherly reported (<c>closeCheckout</c>, <c>callback</c>).</summary>
public sealed record VoucherlyEventReport(bool Success, DateTime AtUtc);
