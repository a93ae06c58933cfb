using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Tests.Domain.Builders;

/// <summary>
/// Test-data builder for the payment aggregate: sensible defaults, override what the test is
/// about. Lines and discounts are added before transactions, as the model requires.
/// </summary>
public sealed class PaymentBuilder
{
    public static readonly DateTime T0 = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private readonly List<NewPaymentLine> _lines = [];
    private readonly List<NewPaymentDiscount> _discounts = [];
    private readonly List<NewTransaction> _transactions = [];
    private NewPayment _payment = new() { Currency = Currency.EUR, Source = PaymentSource.Demo, CreatedAtUtc = T0 };
    private ReportedTotals? _reported;

    public static PaymentBuilder APayment() => new();

    public PaymentBuilder With(Func<NewPayment, NewPayment> change)
    {
        _payment = change(_payment);
        return this;
    }

    public PaymentBuilder InCurrency(Currency currency) => With(p => p with { Currency = currency });

    public PaymentBuilder WithId(string id) => With(p => p with { Id = id });

    public PaymentBuilder WithReference(string referenceId) => With(p => p with { ReferenceId = referenceId });

    public PaymentBuilder CreatedAt(DateTime utc) => With(p => p with { CreatedAtUtc = utc });

    public PaymentBuilder WithCustomer(string email, string? firstName = null, string? lastName = null) =>
        With(p => p with { Customer = PaymentCustomer.Create(email: email, firstName: firstName, lastName: lastName) });

    public PaymentBuilder WithMetadata(params (string Key, string Value)[] entries) =>
        With(p => p with { Metadata = entries.Select(e => KeyValuePair.Create(e.Key, e.Value)).ToList() });

    public PaymentBuilder WithLine(long unitAmount, int quantity = 1, long unitDiscountAmount = 0, long discountAmount = 0, string? name = null)
    {
        _lines.Add(new NewPaymentLine
        {
            UnitAmount = unitAmount, Quantity = quantity, UnitDiscountAmount = unitDiscountAmount,
            DiscountAmount = discountAmount, ProductName = name ?? $"Product {_lines.Count + 1}",
        });
        return this;
    }

    public PaymentBuilder WithLine(NewPaymentLine line)
    {
        _lines.Add(line);
        return this;
    }

    public PaymentBuilder WithDiscount(NewPaymentDiscount discount)
    {
        _discounts.Add(discount);
        return this;
    }

    public PaymentBuilder WithDollarOff(long cents, int index = 0) =>
        WithDiscount(new NewPaymentDiscount { Type = DiscountType.DollarOff, Value = cents, Index = index, Name = "Dollar off" });

    public PaymentBuilder WithPercentOff(decimal percent, int index = 0) =>
        WithDiscount(new NewPaymentDiscount { Type = DiscountType.PercentOff, Value = percent, Index = index, Name = "Percent off" });

    public PaymentBuilder WithFixedPrice(long cents, int index = 0) =>
        WithDiscount(new NewPaymentDiscount { Type = DiscountType.Fixed, Value = cents, Index = index, Name = "Fixed price" });

    public PaymentBuilder WithTransaction(Func<NewTransaction, NewTransaction>? change = null)
    {
        var draft = new NewTransaction
        {
            CreatedAtUtc = T0.AddMinutes(_transactions.Count + 1),
            Gateway = new GatewayRef("gw_card", "Card"),
        };
        _transactions.Add(change is null ? draft : change(draft));
        return this;
    }

    /// <summary>A captured attempt of <paramref name="amount"/>: Confirmed with processed = confirmed = amount.</summary>
    public PaymentBuilder WithConfirmedTransaction(long amount, string? id = null) => WithTransaction(t => t with
    {
        Id = id,
        Status = TransactionStatus.Confirmed,
        RequestedAmount = amount,
        ProcessedAmount = amount,
        ConfirmedAmount = amount,
    });

    public PaymentBuilder WithReportedTotals(ReportedTotals reported)
    {
        _reported = reported;
        return this;
    }

    public Payment Build()
    {
        var payment = Payment.Create(_payment);
        foreach (var line in _lines) payment.AddLine(line);
        foreach (var discount in _discounts) payment.AddDiscount(discount);
        foreach (var transaction in _transactions) payment.AddTransaction(transaction, "test");
        if (_reported is not null) payment.RecordReportedTotals(_reported, T0.AddHours(1));
        return payment;
    }
}
