using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Domain.Payments;

public sealed class PaymentFactoryTests
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(1);

    [Fact]
    public void Create_Defaults_RequestedWithGeneratedIdAndCreationHistory()
    {
        var payment = PaymentBuilder.APayment().Build();

        Assert.Matches("^pay_[0-9A-HJKMNP-TV-Z]{26}$", payment.Id);
        Assert.Equal(PaymentStatus.Requested, payment.Status);
        var created = Assert.Single(payment.StatusChanges);
        Assert.Equal((null as string, "Requested", "demo", true), (created.FromStatus, created.ToStatus, created.Source, created.Applied));
    }

    [Fact]
    public void Create_Customer_FillsNormalizedSearchColumns()
    {
        var payment = PaymentBuilder.APayment().WithCustomer(" Ann.Smith@Example.COM ", "Ann", "Smith").Build();

        Assert.Equal("Ann.Smith@Example.COM", payment.Customer.Email);
        Assert.Equal("ann.smith@example.com", payment.CustomerEmailNormalized);
        Assert.Equal("Ann Smith", payment.CustomerName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void Create_InvalidExplicitId_IsRefused(string id) =>
        Assert.Throws<DomainException>(() => PaymentBuilder.APayment().WithId(id).Build());

    [Fact]
    public void Create_LocalTime_IsRefused() =>
        Assert.Throws<DomainException>(() => PaymentBuilder.APayment().CreatedAt(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local)).Build());

    [Fact]
    public void AddLine_AfterPaymentIsConfirmed_IsRefused()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build();

        var e = Assert.Throws<DomainException>(() => payment.AddLine(new NewPaymentLine { UnitAmount = 1 }));

        Assert.Contains("price is settled", e.Message, StringComparison.Ordinal);
        Assert.Single(payment.Lines);
    }

    [Fact]
    public void AddLine_NegativeAmount_IsRefused() =>
        Assert.Throws<DomainException>(() => PaymentBuilder.APayment().WithLine(-1).Build());

    [Fact]
    public void AddTransaction_OtherCurrency_IsRefused() =>
        Assert.Throws<CurrencyMismatchException>(() =>
            PaymentBuilder.APayment().InCurrency(Currency.EUR).WithLine(100).WithTransaction(t => t with { Currency = Currency.USD }).Build());

    [Fact]
    public void AddTransaction_SameCurrencyOrNone_TakesPaymentCurrency()
    {
        var payment = PaymentBuilder.APayment().InCurrency(Currency.JPY).WithLine(100)
            .WithTransaction().WithTransaction(t => t with { Currency = Currency.Parse("jpy") }).Build();

        Assert.All(payment.Transactions, t => Assert.Equal(Currency.JPY, t.Currency));
        Assert.All(payment.Transactions, t => Assert.StartsWith("txn_", t.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void AddTransaction_DuplicateId_IsRefused() =>
        Assert.Throws<DomainException>(() =>
            PaymentBuilder.APayment().WithLine(100).WithTransaction(t => t with { Id = "txn_same" }).WithTransaction(t => t with { Id = "txn_same" }).Build());

    [Fact]
    public void AddTransaction_RefundedAboveConfirmed_IsRefused() =>
        Assert.Throws<DomainException>(() =>
            PaymentBuilder.APayment().WithLine(100).WithTransaction(t => t with { ConfirmedAmount = 100, RefundedAmount = 101 }).Build());

    [Fact]
    public void AssignTrackingId_Once_ThenAnotherIsRefused()
    {
        var transaction = PaymentBuilder.APayment().WithLine(100).WithTransaction().Build().Transactions[0];

        transaction.AssignTrackingId("cycle-1", "job:recurring", At);
        transaction.AssignTrackingId("cycle-1", "job:recurring", At);

        Assert.Throws<DomainException>(() => transaction.AssignTrackingId("cycle-2", "job:recurring", At));
        Assert.Equal("cycle-1", transaction.TrackingId);
    }

    [Fact]
    public void RequestNextAction_FromRequested_StoresRequestAndMovesToNextAction()
    {
        var transaction = PaymentBuilder.APayment().WithLine(100).WithTransaction().Build().Transactions[0];

        var outcome = transaction.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, "3ds-1", "https://acs.example/1"), "gateway", At);

        Assert.Equal(StatusChangeOutcome.Applied, outcome);
        Assert.Equal(TransactionStatus.NextAction, transaction.Status);
        Assert.Equal("https://acs.example/1", transaction.NextAction!.Url);
    }

    [Fact]
    public void RequestNextAction_OnConfirmed_IsRefusedAndKeepsStoredRequest()
    {
        var transaction = PaymentBuilder.APayment().WithLine(100).WithConfirmedTransaction(100).Build().Transactions[0];

        var outcome = transaction.RequestNextAction(NextActionRequest.Create(CheckoutAction.Otp), "webhook", At);

        Assert.Equal(StatusChangeOutcome.Refused, outcome);
        Assert.Equal(TransactionStatus.Confirmed, transaction.Status);
        Assert.Null(transaction.NextAction);
    }

    [Fact]
    public void DiscountTypes_ParseWireSpelling()
    {
        Assert.Equal(DiscountType.PercentOff, DiscountTypes.Parse("PERCENOFF"));
        Assert.Equal(DiscountType.DollarOff, DiscountTypes.Parse("dollaroff"));
        Assert.Equal("FIXED", DiscountTypes.ToWire(DiscountType.Fixed));
        Assert.Throws<DomainException>(() => DiscountTypes.Parse("HALFOFF"));
    }

    [Fact]
    public void IdsNew_PrefixAndTimeOrder_AndUnique()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var earlier = Ids.New("pay", clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var later = Ids.New("pay", clock);

        Assert.Equal(30, earlier.Length);
        Assert.True(string.CompareOrdinal(earlier, later) < 0, "ids should sort by creation time");
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(_ => Ids.New("txn", clock)).Distinct().Count());
    }
}
