using Portal.Gateways.Voucherly;
using Portal.Sandbox.Voucherly;

namespace Portal.Tests.Gateways;

/// <summary>The Voucherly adapter against the sandbox over real HTTP.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class VoucherlyClientTests(GatewaySandboxFixture fixture)
{
    private VoucherlyClient Client => fixture.Service<VoucherlyClient>();

    [Fact]
    public async Task GetPayment_SeededConfirmed_ReadsEveryPartOfThePaymentObject()
    {
        var result = await Client.GetPaymentAsync(VoucherlySandboxSeed.Confirmed);

        var payment = Assert.IsType<VoucherlyResult.Ok>(result).Payment;
        Assert.Equal("sand", payment.Tenant);
        Assert.Equal("order-1001", payment.ReferenceId);
        Assert.Equal("Payment", payment.Mode);
        Assert.Equal("Confirmed", payment.Status);
        Assert.Equal((3200L, 200L, 3000L, 3000L, 1000L, 0L),
            (payment.TotalAmount, payment.DiscountAmount, payment.FinalAmount, payment.PaidAmount, payment.PaidVoucherAmount, payment.Amount));
        Assert.Equal("web", payment.Metadata!["channel"]);
        Assert.True(payment.CloseCheckout!.Success);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 35, 0, TimeSpan.Zero), payment.Callback!.Date);

        Assert.Equal(2, payment.Transactions!.Count);
        var voucher = payment.Transactions[0];
        Assert.Equal(("Edenred", 1, "OTP"), (voucher.PaymentGateway!.Name, voucher.PaymentGateway.Type!.Value, voucher.PaymentGateway.PaymentAction));
        Assert.Equal((1000L, 2, 1000L), (voucher.VoucherAmount!.Value, voucher.NoOfVouchers!.Value, voucher.ConfirmedAmount!.Value));
        var card = payment.Transactions[1].CreditCard!;
        Assert.Equal(("visa", "411111******1111", 12, 2030), (card.Brand, card.Pan, card.ExpirationMonth!.Value, card.ExpirationYear!.Value));

        var discount = Assert.Single(payment.Discounts!);
        Assert.Equal(("Welcome", "DOLLAROFF", 200L, 0), (discount.DiscountName, discount.Type, discount.Amount!.Value, discount.Index!.Value));
        Assert.Equal(2, payment.Lines!.Count);
        var pizza = payment.Lines[0];
        Assert.Equal((2, 850L, 1700L, true, false, 10m), (pizza.Quantity!.Value, pizza.UnitAmount!.Value, pizza.FinalAmount!.Value, pizza.IsFood!.Value, pizza.IsGift!.Value, pizza.TaxRate!.Value));
    }

    [Fact]
    public async Task GetPayment_SepaWithFullIban_ReturnsTheIbanMasked()
    {
        var payment = Assert.IsType<VoucherlyResult.Ok>(await Client.GetPaymentAsync(VoucherlySandboxSeed.SepaPaid)).Payment;

        var debit = Assert.Single(payment.Transactions!).DirectDebit!;
        Assert.Equal("DE" + new string('*', 16) + "3000", debit.AccountIban);
        Assert.Equal("COBADEFFXXX", debit.AccountBic);
    }

    [Fact]
    public async Task GetPayment_FullCardNumberFromTheGateway_IsMasked()
    {
        var store = fixture.Service<VoucherlySandboxStore>();
        var id = "vly_test_" + Guid.NewGuid().ToString("N");
        store.Put(new VoucherlyPayment
        {
            Id = id,
            Status = "Paid",
            Transactions = [new VoucherlyTransaction { Id = "t1", CreditCard = new VoucherlyCreditCard { Pan = "4111 1111 1111 1111" } }],
        });

        var payment = Assert.IsType<VoucherlyResult.Ok>(await Client.GetPaymentAsync(id)).Payment;

        Assert.Equal("************1111", payment.Transactions![0].CreditCard!.Pan);
    }

    [Fact]
    public async Task GetPayment_Unknown_ReturnsNotFound()
    {
        Assert.IsType<VoucherlyResult.NotFound>(await Client.GetPaymentAsync("vly_nope"));
    }

    [Theory]
    [InlineData(VoucherlySandboxSeed.ServerError, "HTTP 500")]
    [InlineData(VoucherlySandboxSeed.MalformedJson, "malformed JSON")]
    [InlineData(VoucherlySandboxSeed.Timeout, "timeout")]
    public async Task GetPayment_LostAnswer_ReturnsUnknown(string id, string reason)
    {
        var result = await Client.GetPaymentAsync(id);

        Assert.Contains(reason, Assert.IsType<VoucherlyResult.Unknown>(result).Reason);
    }

    [Fact]
    public async Task Refund_PartialThenRest_UpdatesTransactionAndPaymentStatus()
    {
        var id = PutCardPayment(confirmed: 2000);

        var partial = Assert.IsType<VoucherlyResult.Ok>(await Client.RefundAsync(id, "t1", 500)).Payment;
        Assert.Equal((500L, "RefundedPartially", "Confirmed"), (partial.Transactions![0].RefundedAmount!.Value, partial.Transactions[0].Status, partial.Status));

        var rest = Assert.IsType<VoucherlyResult.Ok>(await Client.RefundAsync(id, "t1", 1500)).Payment;
        Assert.Equal((2000L, "Refunded", "Refunded"), (rest.Transactions![0].RefundedAmount!.Value, rest.Transactions[0].Status, rest.Status));
    }

    [Fact]
    public async Task Refund_MoreThanConfirmedMinusRefunded_Rejected()
    {
        var result = await Client.RefundAsync(VoucherlySandboxSeed.PartiallyRefunded, "3fa85f64-5717-4562-b3fc-2c963f660003", 2001);

        var rejected = Assert.IsType<VoucherlyResult.Rejected>(result);
        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("exceeds the amount left to refund (2000 of 2500)", rejected.Message);
    }

    [Fact]
    public async Task Refund_UnknownPayment_ReturnsNotFound()
    {
        Assert.IsType<VoucherlyResult.NotFound>(await Client.RefundAsync("vly_nope", "t1", 100));
    }

    private string PutCardPayment(long confirmed)
    {
        var id = "vly_test_" + Guid.NewGuid().ToString("N");
        fixture.Service<VoucherlySandboxStore>().Put(new VoucherlyPayment
        {
            Id = id,
            Status = "Confirmed",
            TotalAmount = confirmed,
            FinalAmount = confirmed,
            PaidAmount = confirmed,
            Transactions = [new VoucherlyTransaction { Id = "t1", Amount = confirmed, ConfirmedAmount = confirmed, RefundedAmount = 0, Currency = "EUR", Status = "Confirmed" }],
        });
        return id;
    }
}
