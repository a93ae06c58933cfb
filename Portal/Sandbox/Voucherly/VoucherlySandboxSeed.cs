using Portal.Gateways.Voucherly;

namespace Portal.Sandbox.Voucherly;

/// <summary>The deterministic payments the Voucherly sandbox serves from start-up (see docs/sandbox.md).</summary>
public static class VoucherlySandboxSeed
{
    public const string Confirmed = "vly_pay_confirmed";
    public const string PartiallyRefunded = "vly_pay_partially_refunded";
    public const string Requested = "vly_pay_requested";
    public const string Failed = "vly_pay_failed";
    public const string SepaPaid = "vly_pay_sepa";
    public const string TotalsMismatch = "vly_pay_totals_mismatch";

    /// <summary>Ids that answer 500, malformed JSON, or only after the adapter's timeout.</summary>
    public const string ServerError = "vly_pay_http_500";
    public const string MalformedJson = "vly_pay_malformed_json";
    public const string Timeout = "vly_pay_timeout";

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 10, 30, 0, TimeSpan.Zero);

    public static IEnumerable<VoucherlyPayment> Payments()
    {
        // Two pizzas (food) and a gift box, 2.00 off, paid 10.00 by meal vouchers and 20.00 by card.
        yield return new VoucherlyPayment
        {
            Id = Confirmed, Tenant = "sand", ReferenceId = "order-1001", Mode = "Payment", CompanyId = "cmp_sandbox",
            CustomerId = "cus_1001", CustomerEmail = "anna.rossi@example.com", CustomerFirstName = "Anna", CustomerLastName = "Rossi",
            CustomerPhoneNumber = "+390212345678", SelectedPaymentGatewayId = "pg_edenred",
            CheckoutUrl = "https://checkout.sandbox.invalid/vly_pay_confirmed",
            CloseCheckout = new() { Success = true, Date = Day.AddMinutes(4) },
            Callback = new() { Success = true, Date = Day.AddMinutes(5) },
            TotalAmount = 3200, DiscountAmount = 200, FinalAmount = 3000, PaidAmount = 3000, PaidVoucherAmount = 1000, Amount = 0,
            Status = "Confirmed",
            Metadata = new() { ["channel"] = "web", ["table"] = "12" },
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660001", PaymentGatewayId = "pg_edenred",
                    PaymentGateway = new() { Id = "pg_edenred", Name = "Edenred", Type = 1, PaymentAction = "OTP" },
                    ExternalId1 = "EDR-778812", IsWallet = false,
                    RequestedAmount = 1000, Amount = 1000, VoucherAmount = 1000, NoOfVouchers = 2, ConfirmedAmount = 1000, RefundedAmount = 0,
                    Currency = "EUR", HolderEmail = "anna.rossi@example.com", HolderName = "Anna Rossi", Status = "Confirmed",
                },
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660002", PaymentGatewayId = "pg_card",
                    PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
                    ExternalId1 = "ch_sandbox_0002", IsWallet = false,
                    RequestedAmount = 2000, Amount = 2000, VoucherAmount = 0, NoOfVouchers = 0, ConfirmedAmount = 2000, RefundedAmount = 0,
                    Currency = "EUR",
                    CreditCard = new() { Brand = "visa", Pan = "411111******1111", Expiration = "12/30", ExpirationMonth = 12, ExpirationYear = 2030, Product = "Visa Classic" },
                    HolderEmail = "anna.rossi@example.com", HolderName = "Anna Rossi", Status = "Confirmed",
                },
            ],
            Discounts = [new() { DiscountName = "Welcome", DiscountDescription = "2.00 off the first order", Amount = 200, Type = "DOLLAROFF", Value = 200, Index = 0 }],
            Lines =
            [
                new() { Quantity = 2, UnitAmount = 850, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 1700, ProductId = "prd_margherita", ProductName = "Pizza Margherita", ProductVariant = "large", ProductExternalId1 = "SKU-PZ-01", TaxRate = 10, IsFood = true, IsGift = false },
                new() { Quantity = 1, UnitAmount = 1500, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 1500, ProductId = "prd_giftbox", ProductName = "Gift box", ProductExternalId1 = "SKU-GB-01", TaxRate = 22, IsFood = false, IsGift = true },
            ],
        };

        // One card transaction of 25.00, 5.00 already refunded.
        yield return new VoucherlyPayment
        {
            Id = PartiallyRefunded, Tenant = "sand", ReferenceId = "order-1002", Mode = "Payment",
            CustomerEmail = "marco.bianchi@example.com", CustomerFirstName = "Marco", CustomerLastName = "Bianchi",
            TotalAmount = 2500, DiscountAmount = 0, FinalAmount = 2500, PaidAmount = 2500, PaidVoucherAmount = 0, Amount = 0,
            Status = "Confirmed",
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660003", PaymentGatewayId = "pg_card",
                    PaymentGateway = new() { Id = "pg_card", Name = "Mastercard", Type = 0, PaymentAction = "DROPIN" },
                    ExternalId1 = "ch_sandbox_0003",
                    RequestedAmount = 2500, Amount = 2500, VoucherAmount = 0, NoOfVouchers = 0, ConfirmedAmount = 2500, RefundedAmount = 500,
                    Currency = "EUR",
                    CreditCard = new() { Brand = "mastercard", Pan = "555555******4444", Expiration = "08/29", ExpirationMonth = 8, ExpirationYear = 2029, Product = "Mastercard Gold" },
                    HolderName = "Marco Bianchi", Status = "RefundedPartially",
                },
            ],
            Discounts = [],
            Lines = [new() { Quantity = 1, UnitAmount = 2500, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 2500, ProductName = "Dinner for two", TaxRate = 10, IsFood = true, IsGift = false }],
        };

        // Waiting for the customer: a 3-D Secure redirect.
        yield return new VoucherlyPayment
        {
            Id = Requested, Tenant = "sand", ReferenceId = "order-1003", Mode = "Payment", CustomerEmail = "luca.verdi@example.com",
            CheckoutUrl = "https://checkout.sandbox.invalid/vly_pay_requested",
            TotalAmount = 1200, DiscountAmount = 120, FinalAmount = 1080, PaidAmount = 0, PaidVoucherAmount = 0, Amount = 1080,
            Status = "Requested",
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660004", PaymentGatewayId = "pg_card",
                    PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "REDIRECT" },
                    RequestedAmount = 1080, Amount = 0, ConfirmedAmount = 0, RefundedAmount = 0, Currency = "EUR", Status = "NextAction",
                    Request = new() { Action = "REDIRECT", ExternalTransactionId = "ext_3ds_0004", Url = "https://acs.sandbox.invalid/challenge/0004" },
                },
            ],
            Discounts = [new() { DiscountName = "Autumn", DiscountDescription = "10% off", Amount = null, Type = "PERCENOFF", Value = 10, Index = 0 }],
            Lines = [new() { Quantity = 3, UnitAmount = 400, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 1200, ProductName = "Espresso beans 250 g", TaxRate = 10, IsFood = true, IsGift = false }],
        };

        // The only attempt was declined.
        yield return new VoucherlyPayment
        {
            Id = Failed, Tenant = "sand", ReferenceId = "order-1004", Mode = "Payment", CustomerEmail = "giulia.neri@example.com",
            TotalAmount = 4999, DiscountAmount = 0, FinalAmount = 4999, PaidAmount = 0, PaidVoucherAmount = 0, Amount = 4999,
            Status = "Requested",
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660005", PaymentGatewayId = "pg_card",
                    PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
                    RequestedAmount = 4999, Amount = 0, ConfirmedAmount = 0, RefundedAmount = 0, Currency = "EUR", Status = "Failed",
                    CreditCard = new() { Brand = "visa", Pan = "400000******0002", Expiration = "01/28", ExpirationMonth = 1, ExpirationYear = 2028 },
                    Error = new() { Code = "Declined", ExternalError = new() { Message = "Insufficient funds", Code = "51" } },
                },
            ],
            Discounts = [],
            Lines = [new() { Quantity = 1, UnitAmount = 4999, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 4999, ProductName = "Headphones", TaxRate = 22, IsFood = false, IsGift = false }],
        };

        // Paid by SEPA direct debit. The sandbox serves the full IBAN, as a gateway might: the adapter must mask it.
        yield return new VoucherlyPayment
        {
            Id = SepaPaid, Tenant = "sand", ReferenceId = "order-1005", Mode = "Payment", CustomerEmail = "hans.muller@example.com",
            TotalAmount = 8900, DiscountAmount = 0, FinalAmount = 8900, PaidAmount = 8900, PaidVoucherAmount = 0, Amount = 0,
            Status = "Paid",
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660006", PaymentGatewayId = "pg_sepa",
                    PaymentGateway = new() { Id = "pg_sepa", Name = "SEPA Direct Debit", Type = 2, PaymentAction = "DROPIN" },
                    RequestedAmount = 8900, Amount = 8900, ConfirmedAmount = 0, RefundedAmount = 0, Currency = "EUR", Status = "Paid",
                    DirectDebit = new() { AccountId = "ba_sandbox_0006", AccountBic = "COBADEFFXXX", AccountIban = "DE89370400440532013000" },
                    HolderName = "Hans Müller",
                },
            ],
            Discounts = [],
            Lines = [new() { Quantity = 1, UnitAmount = 8900, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 8900, ProductName = "Annual subscription", TaxRate = 19, IsFood = false, IsGift = false }],
        };

        // Totals that disagree with the lines (lines sum to 10.00, the gateway says 12.00): the portal must flag it.
        yield return new VoucherlyPayment
        {
            Id = TotalsMismatch, Tenant = "sand", ReferenceId = "order-1006", Mode = "Payment", CustomerEmail = "sara.gallo@example.com",
            TotalAmount = 1200, DiscountAmount = 0, FinalAmount = 1200, PaidAmount = 1200, PaidVoucherAmount = 0, Amount = 0,
            Status = "Confirmed",
            Transactions =
            [
                new()
                {
                    Id = "3fa85f64-5717-4562-b3fc-2c963f660007", PaymentGatewayId = "pg_card",
                    PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
                    RequestedAmount = 1200, Amount = 1200, ConfirmedAmount = 1200, RefundedAmount = 0, Currency = "EUR", Status = "Confirmed",
                    CreditCard = new() { Brand = "visa", Pan = "424242******4242", Expiration = "03/31", ExpirationMonth = 3, ExpirationYear = 2031 },
                },
            ],
            Discounts = [],
            Lines = [new() { Quantity = 2, UnitAmount = 500, UnitDiscountAmount = 0, DiscountAmount = 0, FinalAmount = 1000, ProductName = "Notebook", TaxRate = 22, IsFood = false, IsGift = false }],
        };
    }
}
