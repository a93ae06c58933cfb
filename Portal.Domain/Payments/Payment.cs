using Portal.Domain.Money;

namespace Portal.Domain.Payments;

/// <summary>
/// The canonical payment (Voucherly's Payment object) and the aggregate root of its lines,
/// discounts, transactions and status history. Every payment, whatever its source, is mapped
/// onto this one model so the portal has one list, one search and one set of rules.
/// </summary>
public sealed partial class Payment
{
    private readonly List<PaymentLine> _lines = [];
    private readonly List<PaymentDiscount> _discounts = [];
    private readonly List<PaymentTransaction> _transactions = [];
    private readonly List<PaymentStatusChange> _statusChanges = [];

    private Payment() { }

    /// <summary>
    /// Creates a payment in status Requested. Add lines and discounts, then transactions; the
    /// amounts and the status follow from them.
    /// </summary>
    public static Payment Create(NewPayment p, string? source = null)
    {
        var at = Text.Utc(p.CreatedAtUtc, "payment creation time");
        var payment = new Payment
        {
            Id = p.Id is null ? Ids.New(Ids.PaymentPrefix) : Ids.Validate(p.Id, "payment"),
            Tenant = p.Tenant,
            Mode = p.Mode,
            Source = p.Source,
            Currency = p.Currency ?? throw new DomainException("A payment needs a currency."),
            ReferenceId = Text.Optional(p.ReferenceId, 200, "reference id"),
            ParentPaymentId = Text.Optional(p.ParentPaymentId, Ids.MaxLength, "parent payment id"),
            CompanyId = Text.Optional(p.CompanyId, 100, "company id"),
            SelectedGatewayId = Text.Optional(p.SelectedGatewayId, 100, "selected gateway id"),
            CheckoutUrl = Text.Optional(p.CheckoutUrl, 2000, "checkout url"),
            Metadata = PaymentMetadata.From(p.Metadata),
            CallUuid = Text.Optional(p.CallUuid, 100, "call uuid"),
            AgentName = Text.Optional(p.AgentName, 200, "agent name"),
            ProjectId = Text.Optional(p.ProjectId, 100, "project id"),
            InCall = p.InCall,
            Status = PaymentStatus.Requested,
            CreatedAtUtc = at,
            UpdatedAtUtc = at,
        };
        payment.SetCustomer(p.Customer ?? PaymentCustomer.None);
        payment.RecordHistory(null, null, PaymentStatus.Requested.ToString(), at, source ?? DefaultSource(p.Source), applied: true, "Created.");
        return payment;
    }

    public string Id { get; private set; } = "";

    public PaymentTenant Tenant { get; private set; }

    public string? ReferenceId { get; private set; }

    public PaymentMode Mode { get; private set; }

    public string? ParentPaymentId { get; private set; }

    public string? CompanyId { get; private set; }

    public PaymentCustomer Customer { get; private set; } = PaymentCustomer.None;

    /// <summary>Lower-case customer email for an indexed, case-insensitive search.</summary>
    public string? CustomerEmailNormalized { get; private set; }

    /// <summary>"First Last", for search and list display.</summary>
    public string? CustomerName { get; private set; }

    /// <summary>The spec's <c>selectedPaymentGatewayId</c>: the default gateway for the first attempt.</summary>
    public string? SelectedGatewayId { get; private set; }

    public string? CheckoutUrl { get; private set; }

    /// <summary>The spec's <c>closeCheckout</c>: whether and when the customer closed the checkout.</summary>
    public CheckoutOutcome? CloseCheckout { get; private set; }

    /// <summary>The spec's <c>callback</c>: whether and when the last callback to the merchant was delivered.</summary>
    public CheckoutOutcome? Callback { get; private set; }

    /// <summary>All amounts of the payment and its transactions are minor units of this currency.</summary>
    public Currency Currency { get; private set; } = null!;

    public PaymentStatus Status { get; private set; }

    public PaymentMetadata Metadata { get; private set; } = PaymentMetadata.Empty;

    public PaymentSource Source { get; private set; }

    /// <summary>The contact-centre call the payment was taken on, linking the payment page to the call.</summary>
    public string? CallUuid { get; private set; }

    public string? AgentName { get; private set; }

    public string? ProjectId { get; private set; }

    /// <summary>Taken during a live call (agent-assisted), as opposed to online.</summary>
    public bool InCall { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    /// <summary>Incremented by every change and checked on save: SQLite has no row version.</summary>
    public long Version { get; private set; }

    public IReadOnlyList<PaymentLine> Lines => _lines;

    public IReadOnlyList<PaymentDiscount> Discounts => _discounts;

    public IReadOnlyList<PaymentTransaction> Transactions => _transactions;

    /// <summary>History of this payment and its transactions; only what was loaded or added in this unit of work.</summary>
    public IReadOnlyList<PaymentStatusChange> StatusChanges => _statusChanges;

    public Money.Money Final => new(FinalAmount, Currency);

    public Money.Money Remaining => new(RemainingAmount, Currency);

    public PaymentTransaction FindTransaction(string transactionId) =>
        _transactions.FirstOrDefault(t => t.Id == transactionId)
        ?? throw new DomainException($"Payment {Id} has no transaction {transactionId}.");

    private void Touch(DateTime atUtc)
    {
        Version++;
        if (atUtc > UpdatedAtUtc) UpdatedAtUtc = atUtc;
    }

    private static string DefaultSource(PaymentSource source) => source.ToString().ToLowerInvariant();
}
