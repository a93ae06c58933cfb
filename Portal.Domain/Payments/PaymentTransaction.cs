using Portal.Domain.Money;

namespace Portal.Domain.Payments;

/// <summary>
/// One attempt to take (part of) a payment through a gateway. It belongs to its
/// <see cref="Payment"/> aggregate: every change goes through a method that keeps the payment's
/// amounts, status and history in step, so load transactions with their payment
/// (<see cref="PaymentQueries.WithAggregate"/>) before changing them.
/// </summary>
public sealed partial class PaymentTransaction
{
    private PaymentTransaction() { }

    internal PaymentTransaction(Payment payment, NewTransaction t)
    {
        Id = t.Id is null ? Ids.New(Ids.TransactionPrefix) : Ids.Validate(t.Id, "transaction");
        Payment = payment;
        PaymentId = payment.Id;
        var currency = t.Currency ?? payment.Currency;
        if (currency != payment.Currency) throw new CurrencyMismatchException(payment.Currency, currency);
        Currency = currency;
        Status = t.Status;
        CreatedAtUtc = UpdatedAtUtc = Text.Utc(t.CreatedAtUtc, "transaction creation time");
        SetGateway(t.Gateway);
        SetAmounts(new TransactionAmountsReport(t.RequestedAmount, t.ProcessedAmount, t.VoucherAmount, t.NoOfVouchers,
            t.ConfirmedAmount, t.RefundedAmount));
        SetExternalIdsCore(t.ExternalId1, t.ExternalId2, t.ExternalId3);
        IsWallet = t.IsWallet;
        if (t.Card is not null) SetCard(t.Card);
        if (t.DirectDebit is not null) DirectDebit = t.DirectDebit.Copy();
        SetHolderCore(t.HolderName, t.HolderEmail);
        Error = t.Error?.Copy();
        NextAction = t.NextAction?.Copy();
        if (t.TrackingId is not null) TrackingId = Text.Required(t.TrackingId, 100, "tracking id");
        if (t.CardTokenProtected is not null) SetProtectedToken(t.CardTokenProtected);
    }

    public string Id { get; private set; } = "";

    public string PaymentId { get; private set; } = "";

    /// <summary>The owning aggregate; set by EF when loaded together, which every change requires.</summary>
    public Payment? Payment { get; private set; }

    public string? GatewayId { get; private set; }

    public string? GatewayName { get; private set; }

    public int? GatewayType { get; private set; }

    public CheckoutAction? GatewayPaymentAction { get; private set; }

    public string? GatewayImageUrl { get; private set; }

    public string? GatewayIconUrl { get; private set; }

    public string? ExternalId1 { get; private set; }

    public string? ExternalId2 { get; private set; }

    public string? ExternalId3 { get; private set; }

    public bool IsWallet { get; private set; }

    public long RequestedAmount { get; private set; }

    /// <summary>The spec's transaction <c>amount</c>: what was actually processed, vouchers included.</summary>
    public long ProcessedAmount { get; private set; }

    public long VoucherAmount { get; private set; }

    public int NoOfVouchers { get; private set; }

    /// <summary>Captured so far; the ceiling for refunds.</summary>
    public long ConfirmedAmount { get; private set; }

    public long RefundedAmount { get; private set; }

    public Currency Currency { get; private set; } = null!;

    public CardDetails? Card { get; private set; }

    public DirectDebitDetails? DirectDebit { get; private set; }

    public string? HolderName { get; private set; }

    public string? HolderEmail { get; private set; }

    public TransactionStatus Status { get; private set; }

    public TransactionError? Error { get; private set; }

    public NextActionRequest? NextAction { get; private set; }

    /// <summary>Copy of <see cref="CardDetails.Last4"/> in its own indexed column, for "find by last 4".</summary>
    public string? CardLast4 { get; private set; }

    /// <summary>Our idempotency key sent to the gateway; unique across all transactions, never changed once set.</summary>
    public string? TrackingId { get; private set; }

    /// <summary>The reusable card token, encrypted by the web layer before it gets here; the domain only stores it.</summary>
    public string? CardTokenProtected { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    /// <summary>When the status poller last asked the gateway about this attempt (its round-robin cursor).</summary>
    public DateTime? LastPolledAtUtc { get; private set; }

    /// <summary>
    /// Incremented by every change and checked on save (SQLite has no row version), so two
    /// people refunding the same transaction at once cannot both succeed.
    /// </summary>
    public long Version { get; private set; }

    internal TransactionAmounts PaidAmounts => new(Status, ProcessedAmount, VoucherAmount);

    private Payment Owner => Payment ?? throw new InvalidOperationException(
        $"Transaction {Id} was loaded without its payment; load the payment aggregate to change it.");

    /// <summary>Records a change: bumps version and time, and lets the payment recompute amounts and status.</summary>
    private void Changed(string source, DateTime atUtc)
    {
        Version++;
        if (atUtc > UpdatedAtUtc) UpdatedAtUtc = atUtc;
        Owner.OnTransactionChanged(source, atUtc);
    }
}
