using System.Text.Json;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Gateways.Voucherly;

namespace Portal.Tests.Gateways;

/// <summary>The Voucherly Payment object (003) onto the model's report: unit tests, no HTTP.</summary>
public sealed class VoucherlyMapperTests
{
    private static readonly DateTime Observed = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The spec's example object, field for field and in its order, with its "string" and 0
    /// placeholders replaced by realistic values (a full card number and IBAN on purpose: the
    /// mapper must mask them even when the adapter did not).
    /// </summary>
    internal const string SpecExample = """
        {
        "id": "vly_pay_example",
        "tenant": "sand",
        "referenceId": "cart-4711",
        "mode": "Payment",
        "parentPaymentId": "vly_pay_parent",
        "companyId": "cmp_42",
        "customerId": "cus_7",
        "customerEmail": "Anna.Rossi@Example.com",
        "customerFirstName": "Anna",
        "customerLastName": "Rossi",
        "customerPhoneNumber": "+390212345678",
        "customerPaymentMethodId": "pm_9",
        "selectedPaymentGatewayId": "pg_card",
        "checkoutUrl": "https://checkout.example/vly_pay_example",
        "closeCheckout": {
        "success": true,
        "date": "2024-07-29T15:51:28.071Z"
        },
        "callback": {
        "success": false,
        "date": "2024-07-29T15:52:28.071Z"
        },
        "totalAmount": 2000,
        "discountAmount": 200,
        "finalAmount": 1800,
        "paidAmount": 1800,
        "paidVoucherAmount": 500,
        "amount": 0,
        "status": "Confirmed",
        "metadata": {"channel": "web", "table": "12"},
        "transactions": [
        {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "paymentGatewayId": "pg_card",
        "paymentGateway": {
        "id": "pg_card",
        "name": "Visa",
        "type": 0,
        "paymentAction": "OTP",
        "image": "https://img.example/visa.png",
        "icon": "https://img.example/visa-icon.png"
        },
        "externalId1": "ext-1",
        "externalId2": "ext-2",
        "externalId3": "ext-3",
        "isWallet": true,
        "error": {
        "code": "Generic",
        "externalError": {
        "message": "Soft decline, retried",
        "code": "05"
        }
        },
        "requestedAmount": 1800,
        "amount": 1800,
        "voucherAmount": 500,
        "noOfVouchers": 1,
        "confirmedAmount": 1800,
        "refundedAmount": 300,
        "currency": "EUR",
        "creditCard": {
        "brand": "visa",
        "pan": "4111111111111111",
        "expiration": "12/30",
        "expirationMonth": 12,
        "expirationYear": 2030,
        "product": "Visa Classic"
        },
        "directDebit": {
        "accountId": "ba_1",
        "accountBic": "COBADEFFXXX",
        "accountIban": "DE89370400440532013000"
        },
        "holderEmail": "anna@example.com",
        "holderName": "Anna Rossi",
        "status": "RefundedPartially",
        "request": {
        "action": "OTP",
        "externalTransactionId": "ext-otp-1",
        "url": "https://acs.example/otp"
        }
        }
        ],
        "discounts": [
        {
        "discountName": "Welcome",
        "discountDescription": "2.00 off the first order",
        "amount": 200,
        "type": "DOLLAROFF",
        "value": 200,
        "index": 3
        }
        ],
        "lines": [
        {
        "quantity": 2,
        "unitAmount": 1100,
        "unitDiscountAmount": 50,
        "discountAmount": 100,
        "finalAmount": 2000,
        "productId": "prd_1",
        "productName": "Pizza Margherita",
        "productVariant": "large",
        "productImage": "https://img.example/pizza.png",
        "productExternalId1": "SKU-1",
        "productExternalId2": "SKU-1B",
        "taxRate": 10,
        "isFood": true,
        "isGift": true
        }
        ]
        }
        """;

    internal static VoucherlyPayment Example() => JsonSerializer.Deserialize<VoucherlyPayment>(SpecExample, VoucherlyClient.Json)!;

    private static VoucherlyPaymentReport Map(VoucherlyPayment p) => VoucherlyMapper.ToReport(p, Currency.EUR, Observed);

    [Fact]
    public void ToReport_SpecExample_EveryPaymentFieldLandsOnTheReport()
    {
        var r = Map(Example());

        Assert.Equal("vly_pay_example", r.VoucherlyPaymentId);
        Assert.Equal(PaymentTenant.Sand, r.Tenant);
        Assert.Equal("cart-4711", r.ReferenceId);
        Assert.Equal(PaymentMode.Payment, r.Mode);
        Assert.Equal("vly_pay_parent", r.ParentPaymentId);
        Assert.Equal("cmp_42", r.CompanyId);
        Assert.Equal(("cus_7", "Anna.Rossi@Example.com", "Anna", "Rossi", "+390212345678", "pm_9"),
            (r.Customer.Id, r.Customer.Email, r.Customer.FirstName, r.Customer.LastName, r.Customer.PhoneNumber, r.Customer.PaymentMethodId));
        Assert.Equal("pg_card", r.SelectedGatewayId);
        Assert.Equal("https://checkout.example/vly_pay_example", r.CheckoutUrl);
        Assert.Equal(new VoucherlyEventReport(true, new DateTime(2024, 7, 29, 15, 51, 28, 71, DateTimeKind.Utc)), r.CloseCheckout);
        Assert.Equal(new VoucherlyEventReport(false, new DateTime(2024, 7, 29, 15, 52, 28, 71, DateTimeKind.Utc)), r.Callback);
        Assert.Equal(DateTimeKind.Utc, r.CloseCheckout!.AtUtc.Kind);
        Assert.Equal(Currency.EUR, r.Currency);
        Assert.Equal(PaymentStatus.Confirmed, r.Status);
        Assert.Equal(new Dictionary<string, string> { ["channel"] = "web", ["table"] = "12" }, r.Metadata.ToDictionary());
        Assert.Equal(new ReportedTotals(2000, 200, 1800, 1800, 500, 0), r.Totals);
        Assert.Equal(Observed, r.ObservedAtUtc);
    }

    [Fact]
    public void ToReport_SpecExample_LinesAndDiscountsLandOnTheReport()
    {
        var r = Map(Example());

        var line = Assert.Single(r.Lines);
        Assert.Equal((2, 1100L, 50L, 100L), (line.Quantity, line.UnitAmount, line.UnitDiscountAmount, line.DiscountAmount));
        Assert.Equal(("prd_1", "Pizza Margherita", "large", "https://img.example/pizza.png", "SKU-1", "SKU-1B"),
            (line.ProductId, line.ProductName, line.ProductVariant, line.ProductImage, line.ProductExternalId1, line.ProductExternalId2));
        Assert.Equal((10m, true, true), (line.TaxRate, line.IsFood, line.IsGift));

        var discount = Assert.Single(r.Discounts);
        Assert.Equal(("Welcome", "2.00 off the first order", 200L, DiscountType.DollarOff, 200m, 3),
            (discount.Name, discount.Description, discount.Amount, discount.Type, discount.Value, discount.Index));
    }

    [Fact]
    public void ToReport_SpecExample_TransactionFieldsLandOnTheReport()
    {
        var t = Assert.Single(Map(Example()).Transactions);

        Assert.Equal("3fa85f64-5717-4562-b3fc-2c963f66afa6", t.Id);
        Assert.Equal(Observed, t.CreatedAtUtc);
        Assert.Equal(new GatewayRef("pg_card", "Visa", 0, CheckoutAction.Otp, "https://img.example/visa.png", "https://img.example/visa-icon.png"), t.Gateway);
        Assert.Equal(("ext-1", "ext-2", "ext-3", true), (t.ExternalId1, t.ExternalId2, t.ExternalId3, t.IsWallet));
        Assert.Equal((TransactionErrorCode.Generic, "Soft decline, retried", "05"), (t.Error!.Code, t.Error.ExternalMessage, t.Error.ExternalCode));
        Assert.Equal((1800L, 1800L, 500L, 1, 1800L, 300L),
            (t.RequestedAmount, t.ProcessedAmount, t.VoucherAmount, t.NoOfVouchers, t.ConfirmedAmount, t.RefundedAmount));
        Assert.Equal(Currency.EUR, t.Currency);
        Assert.Equal(("visa", "1111", 12, 2030, "Visa Classic", "12/30"),
            (t.Card!.Brand, t.Card.Last4, t.Card.ExpirationMonth!.Value, t.Card.ExpirationYear!.Value, t.Card.Product, t.Card.Expiration));
        Assert.Equal(("ba_1", "COBADEFFXXX"), (t.DirectDebit!.AccountId, t.DirectDebit.Bic));
        Assert.Equal(("anna@example.com", "Anna Rossi"), (t.HolderEmail, t.HolderName));
        Assert.Equal(TransactionStatus.RefundedPartially, t.Status);
        Assert.Equal((CheckoutAction.Otp, "ext-otp-1", "https://acs.example/otp"), (t.NextAction!.Action, t.NextAction.ExternalTransactionId, t.NextAction.Url));
    }

    [Fact]
    public void ToReport_FullCardNumberAndIban_OnlyMaskedFormsReachTheReport()
    {
        var t = Assert.Single(Map(Example()).Transactions);

        Assert.Equal("411111******1111", t.Card!.MaskedPan);
        Assert.Equal("DE89" + new string('*', 14) + "3000", t.DirectDebit!.MaskedIban);
        var everything = JsonSerializer.Serialize(t) + JsonSerializer.Serialize(t.Card) + JsonSerializer.Serialize(t.DirectDebit);
        Assert.DoesNotContain("4111111111111111", everything);
        Assert.DoesNotContain("370400440532013000", everything);
    }

    [Fact]
    public void ToReport_AlreadyMaskedByTheAdapter_StaysMasked()
    {
        var p = Example();
        VoucherlyClient.Mask(p);

        var t = Assert.Single(Map(p).Transactions);

        Assert.Equal("************1111", t.Card!.MaskedPan);
        Assert.Equal("DE" + new string('*', 16) + "3000", t.DirectDebit!.MaskedIban);
    }

    public static TheoryData<Action<VoucherlyPayment>, string> UnknownValues => new()
    {
        { p => p.Status = "Settled", "Unknown status 'Settled'" },
        { p => p.Status = "2", "Unknown status '2'" },
        { p => p.Tenant = "test", "Unknown tenant 'test'" },
        { p => p.Mode = "Subscription", "Unknown mode 'Subscription'" },
        { p => p.Transactions![0].Status = "Pending", "Unknown status 'Pending'" },
        { p => p.Transactions![0].Error!.Code = "Fraud", "Unknown error code 'Fraud'" },
        { p => p.Transactions![0].PaymentGateway!.PaymentAction = "QR", "Unknown checkout action 'QR'" },
        { p => p.Transactions![0].Request!.Action = "POPUP", "Unknown checkout action 'POPUP'" },
        { p => p.Transactions![0].PaymentGateway!.Type = 7, "Unknown paymentGateway.type 7" },
        { p => p.Discounts![0].Type = "BOGO", "Unknown discount type 'BOGO'" },
        { p => p.Transactions![0].Currency = "XYZ", "Unknown currency code 'XYZ'" },
    };

    [Theory]
    [MemberData(nameof(UnknownValues))]
    public void ToReport_UnknownWireValue_DomainExceptionNamingPaymentAndValue(Action<VoucherlyPayment> spoil, string expected)
    {
        var p = Example();
        spoil(p);

        var ex = Assert.ThrowsAny<DomainException>(() => Map(p));

        Assert.StartsWith("Voucherly payment vly_pay_example: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ToReport_UnknownTransactionValue_ErrorNamesTheTransaction()
    {
        var p = Example();
        p.Transactions![0].Status = "Pending";

        var ex = Assert.ThrowsAny<DomainException>(() => Map(p));

        Assert.Contains("transaction 3fa85f64-5717-4562-b3fc-2c963f66afa6", ex.Message);
        Assert.Contains("expected Requested, Paid, Confirmed", ex.Message);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("tenant")]
    [InlineData("transaction id")]
    [InlineData("unit amount")]
    public void ToReport_RequiredFieldMissing_DomainException(string field)
    {
        var p = Example();
        switch (field)
        {
            case "status": p.Status = null; break;
            case "tenant": p.Tenant = " "; break;
            case "transaction id": p.Transactions![0].Id = null; break;
            default: p.Lines![0].UnitAmount = null; break;
        }

        var ex = Assert.ThrowsAny<DomainException>(() => Map(p));

        Assert.StartsWith("Voucherly payment vly_pay_example: ", ex.Message);
    }

    [Fact]
    public void ToReport_MetadataOverTheLimit_DomainException()
    {
        var p = Example();
        p.Metadata = Enumerable.Range(1, 11).ToDictionary(i => $"k{i}", i => (string?)"v");

        var ex = Assert.Throws<DomainException>(() => Map(p));

        Assert.IsType<MetadataLimitException>(ex.InnerException);
        Assert.Contains("limit is 10", ex.Message);
    }

    [Fact]
    public void ToReport_NoTransactionsAndOptionalFieldsMissing_DefaultsApply()
    {
        var p = new VoucherlyPayment
        {
            Id = " vly_min ",
            Tenant = "LIVE",
            Status = "requested",
            Metadata = new() { ["note"] = null },
            Lines = [new() { UnitAmount = 500 }],
            Discounts = [new() { Amount = 50 }, new() { Type = "percenoff", Value = 10 }],
        };

        var r = VoucherlyMapper.ToReport(p, Currency.HUF, Observed);

        Assert.Equal(("vly_min", PaymentTenant.Live, PaymentMode.Payment, PaymentStatus.Requested), (r.VoucherlyPaymentId, r.Tenant, r.Mode, r.Status));
        Assert.Equal(Currency.HUF, r.Currency);
        Assert.Equal("", r.Metadata["note"]);
        Assert.Equal((1, false, false), (r.Lines[0].Quantity, r.Lines[0].IsFood, r.Lines[0].IsGift));
        Assert.Equal(new[] { 0, 1 }, r.Discounts.Select(d => d.Index));
        Assert.Equal(DiscountType.PercentOff, r.Discounts[1].Type);
        Assert.Empty(r.Transactions);
        Assert.Null(r.CloseCheckout);
        Assert.Equal(new ReportedTotals(), r.Totals);
    }

    [Fact]
    public void ToReport_TransactionWithoutOptionalParts_ZeroAmountsNoCardNoError()
    {
        var p = Example();
        p.Transactions![0] = new VoucherlyTransaction { Id = "t-1", Status = "Requested" };

        var t = Assert.Single(Map(p).Transactions);

        Assert.Equal((0L, 0L, 0L, 0, 0L, 0L), (t.RequestedAmount, t.ProcessedAmount, t.VoucherAmount, t.NoOfVouchers, t.ConfirmedAmount, t.RefundedAmount));
        Assert.Null(t.Currency);
        Assert.Null(t.Card);
        Assert.Null(t.DirectDebit);
        Assert.Null(t.Error);
        Assert.Null(t.NextAction);
        Assert.Equal(GatewayRef.None, t.Gateway);
    }

    [Fact]
    public void ToReport_ExpirationOnlyAsText_MonthAndYearReadFromIt()
    {
        var p = Example();
        var card = p.Transactions![0].CreditCard!;
        (card.ExpirationMonth, card.ExpirationYear, card.Expiration) = (null, null, "08/29");

        var t = Assert.Single(Map(p).Transactions);

        Assert.Equal((8, 2029), (t.Card!.ExpirationMonth!.Value, t.Card.ExpirationYear!.Value));
    }

    [Fact]
    public void ToReport_RequestWithUrlButNoAction_IsARedirect()
    {
        var p = Example();
        p.Transactions![0].Request = new VoucherlyNextAction { Url = "https://acs.example/3ds" };

        var t = Assert.Single(Map(p).Transactions);

        Assert.Equal((CheckoutAction.Redirect, "https://acs.example/3ds"), (t.NextAction!.Action, t.NextAction.Url));
    }

    [Fact]
    public void ToReport_ErrorWithoutCodeButWithGatewayMessage_IsGeneric()
    {
        var p = Example();
        p.Transactions![0].Error = new VoucherlyError { ExternalError = new() { Message = "Timeout at acquirer" } };

        var t = Assert.Single(Map(p).Transactions);

        Assert.Equal((TransactionErrorCode.Generic, "Timeout at acquirer"), (t.Error!.Code, t.Error.ExternalMessage));
    }

    [Fact]
    public void ToReport_SpecExample_BuildsAPaymentWhoseRecomputedTotalsAgree()
    {
        var r = Map(Example());
        var payment = Payment.Create(new NewPayment { Currency = r.Currency, Source = PaymentSource.Voucherly, CreatedAtUtc = Observed });
        foreach (var line in r.Lines) payment.AddLine(line);
        foreach (var discount in r.Discounts) payment.AddDiscount(discount);
        foreach (var t in r.Transactions) payment.AddTransaction(t, "test");
        payment.RecordReportedTotals(r.Totals, Observed);

        Assert.Equal((2000L, 200L, 1800L, 1800L, 500L, 0L), (payment.TotalAmount, payment.DiscountAmount, payment.FinalAmount,
            payment.PaidAmount, payment.PaidVoucherAmount, payment.RemainingAmount));
        Assert.False(payment.TotalsMismatch);
    }
}
