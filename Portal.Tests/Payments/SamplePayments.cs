using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Payments;

/// <summary>
/// A shop's October 2026 for the browser tests and screenshots: varied customers, currencies,
/// cards, statuses and sources, built through the domain (no UI). Deterministic.
/// </summary>
internal static class SamplePayments
{
    public static readonly DateTime Start = new(2026, 10, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>The date filter that isolates these payments from anything else in a shared test database.</summary>
    public const string OctoberQuery = "from=2026-10-01&to=2026-10-31";

    public const string RichId = "pay_01SAMPLERICH0000000000001";
    public const string RichLast4 = "7315";

    private static readonly (string First, string Last)[] People =
    [
        ("Giulia", "Ferraro"), ("Marco", "Conti"), ("Sofia", "Ricci"), ("Luca", "Marino"), ("Emma", "Greco"), ("Noah", "Bruno"),
        ("Aurora", "Gallo"), ("Leonardo", "Costa"), ("Chiara", "Fontana"), ("Tommaso", "Moretti"), ("Alice", "Barbieri"),
        ("Mattia", "Lombardi"), ("Hannah", "Schulz"), ("Oliver", "Wright"), ("Yuki", "Tanaka"), ("Fatima", "Al-Khalifa"),
    ];

    private static readonly string[] Brands = ["Visa", "Mastercard", "Amex", "Maestro"];
    private static readonly (string Id, string Name)[] Gateways = [("ecomcharge", "eComCharge"), ("voucherly", "Voucherly"), ("vcc", "Contact centre")];
    private static readonly string[] Products = ["Pizza Margherita", "Gift box", "Espresso beans 1 kg", "Cooking class", "Wine tasting for two", "Olive oil 500 ml"];

    public static IReadOnlyList<Payment> Build()
    {
        var r = new SeededRandom(20261001);
        var payments = new List<Payment> { Rich() };
        for (var i = 0; i < 33; i++)
        {
            var (first, last) = People[i % People.Length];
            var currency = i % 11 == 3 ? Currency.JPY : i % 13 == 5 ? Currency.BHD : i % 7 == 2 ? Currency.GBP : Currency.EUR;
            var scale = currency == Currency.JPY ? 1 : currency == Currency.BHD ? 10 : 1;
            var gateway = Gateways[i % Gateways.Length];
            var at = Start.AddHours(i * 19 + r.Between(0, 9)).AddMinutes(r.Between(0, 59));
            var b = PaymentBuilder.APayment()
                .WithId($"pay_01SAMPLE{i:D18}")
                .InCurrency(currency)
                .CreatedAt(at)
                .WithReference($"WEB-{48210 + i * 7}")
                .WithCustomer($"{first}.{last}@example.com".ToLowerInvariant().Replace("-", "", StringComparison.Ordinal), first, last)
                .With(p => p with
                {
                    SelectedGatewayId = gateway.Id,
                    Source = gateway.Id == "vcc" ? PaymentSource.Vcc : gateway.Id == "voucherly" ? PaymentSource.Voucherly : PaymentSource.EComCharge,
                    InCall = gateway.Id == "vcc",
                    CallUuid = gateway.Id == "vcc" ? $"7c9e6679-7425-40de-944b-e07fc1f9{i:D4}" : null,
                    AgentName = gateway.Id == "vcc" ? "Martina R." : null,
                    Mode = i % 9 == 4 ? PaymentMode.Wallet : PaymentMode.Payment,
                    Tenant = i % 10 == 7 ? PaymentTenant.Sand : PaymentTenant.Live,
                });
            var lines = r.Between(1, 3);
            long total = 0;
            for (var l = 0; l < lines; l++)
            {
                var unit = r.Between(4, 60) * 50L * scale * (currency == Currency.JPY ? 1 : 10) / (currency == Currency.JPY ? 1 : 10);
                if (currency == Currency.JPY) unit = r.Between(8, 60) * 100L;
                var qty = r.Between(1, 3);
                b.WithLine(unit, qty, name: Products[(i + l) % Products.Length]);
                total += unit * qty;
            }
            var outcome = i % 8;
            var card = CardDetails.Create(null, (1000 + (i * 379) % 9000).ToString(System.Globalization.CultureInfo.InvariantCulture), Brands[i % Brands.Length], 1 + i % 12, 2027 + i % 4);
            var t0 = at.AddMinutes(2);
            switch (outcome)
            {
                case 0 or 1 or 2:
                    b.WithTransaction(t => t with { CreatedAtUtc = t0, Gateway = new GatewayRef(gateway.Id, gateway.Name), Status = TransactionStatus.Confirmed,
                        RequestedAmount = total, ProcessedAmount = total, ConfirmedAmount = total, Card = card, ExternalId1 = $"gw-{i:D6}" });
                    break;
                case 3:
                    b.WithTransaction(t => t with { CreatedAtUtc = t0, Gateway = new GatewayRef(gateway.Id, gateway.Name), Status = TransactionStatus.Paid,
                        RequestedAmount = total, ProcessedAmount = total, Card = card, ExternalId1 = $"gw-{i:D6}" });
                    break;
                case 4:
                    b.WithTransaction(t => t with { CreatedAtUtc = t0, Gateway = new GatewayRef(gateway.Id, gateway.Name), Status = TransactionStatus.Failed,
                        RequestedAmount = total, Card = card, Error = TransactionError.Create(TransactionErrorCode.Declined, "Do not honour", "05") });
                    break;
                case 5:
                    b.WithTransaction(t => t with { CreatedAtUtc = t0, Gateway = new GatewayRef(gateway.Id, gateway.Name), Status = TransactionStatus.NextAction,
                        RequestedAmount = total, Card = card, NextAction = NextActionRequest.Create(CheckoutAction.Redirect, url: "https://3ds.example/challenge") });
                    break;
                case 6:
                    b.WithTransaction(t => t with { CreatedAtUtc = t0, Gateway = new GatewayRef(gateway.Id, gateway.Name), Status = TransactionStatus.RefundedPartially,
                        RequestedAmount = total, ProcessedAmount = total, ConfirmedAmount = total, RefundedAmount = total / 4, Card = card });
                    break;
            }
            if (i % 12 == 9) b.WithReportedTotals(new ReportedTotals(FinalAmount: total + 100 * scale));
            payments.Add(b.Build());
        }
        return payments;
    }

    /// <summary>One payment with everything the payment page can show.</summary>
    private static Payment Rich()
    {
        var at = new DateTime(2026, 10, 30, 14, 5, 0, DateTimeKind.Utc);
        var payment = PaymentBuilder.APayment()
            .WithId(RichId)
            .CreatedAt(at)
            .WithReference("WEB-77120")
            .With(p => p with
            {
                Customer = PaymentCustomer.Create("cus_8812", "giulia.ferraro@example.com", "Giulia", "Ferraro", "+39 02 555 0188"),
                SelectedGatewayId = "ecomcharge",
                Source = PaymentSource.Vcc,
                InCall = true,
                CallUuid = "3f2b8c1e-9d4a-4e7b-8f6a-2c1d0e9b7a65",
                AgentName = "Martina R.",
                ProjectId = "spring-campaign",
                Metadata = [KeyValuePair.Create("channel", "phone"), KeyValuePair.Create("store", "Milano Centrale")],
            })
            .WithLine(new NewPaymentLine { ProductName = "Cooking class", ProductVariant = "Saturday morning", ProductExternalId1 = "SKU-CC-02",
                Quantity = 2, UnitAmount = 4500, UnitDiscountAmount = 500, TaxRate = 22m })
            .WithLine(new NewPaymentLine { ProductName = "Olive oil 500 ml", ProductExternalId1 = "SKU-OO-05", Quantity = 3, UnitAmount = 1290,
                DiscountAmount = 270, TaxRate = 10m, IsFood = true })
            .WithLine(new NewPaymentLine { ProductName = "Gift box", Quantity = 1, UnitAmount = 1500, TaxRate = 22m, IsGift = true })
            .WithDiscount(new NewPaymentDiscount { Name = "Welcome voucher", Description = "First order", Type = DiscountType.DollarOff, Value = 500, Index = 0 })
            .WithDiscount(new NewPaymentDiscount { Name = "Autumn sale", Type = DiscountType.PercentOff, Value = 10m, Index = 1 })
            .WithTransaction(t => t with
            {
                Id = "txn_01SAMPLERICH0000000000001", CreatedAtUtc = at.AddMinutes(1), Gateway = new GatewayRef("ecomcharge", "eComCharge"),
                Status = TransactionStatus.Failed, RequestedAmount = 11340, HolderName = "Giulia Ferraro",
                Card = CardDetails.Create(null, "0019", "Visa", 4, 2027),
                Error = TransactionError.Create(TransactionErrorCode.Declined, "Insufficient funds", "51"),
            })
            .WithTransaction(t => t with
            {
                Id = "txn_01SAMPLERICH0000000000002", CreatedAtUtc = at.AddMinutes(4), Gateway = new GatewayRef("ecomcharge", "eComCharge"),
                Status = TransactionStatus.Requested, RequestedAmount = 11340, HolderName = "Giulia Ferraro", ExternalId1 = "ecm-5a1f0c77",
                Card = CardDetails.Create("5454545454547315", brand: "Mastercard", expirationMonth: 11, expirationYear: 2029),
                TrackingId = "trk-77120-1",
            })
            .WithReportedTotals(new ReportedTotals(TotalAmount: 13100, FinalAmount: 11440))
            .Build();
        var second = payment.FindTransaction("txn_01SAMPLERICH0000000000002");
        second.ApplyReportedStatus(TransactionStatus.Confirmed, "webhook:ecomcharge", at.AddMinutes(5));
        second.RecordReportedAmounts(new TransactionAmountsReport(11340, 11340, 0, 0, 11340, 2000), "refund:ui", at.AddDays(1));
        second.ApplyReportedStatus(TransactionStatus.RefundedPartially, "refund:ui", at.AddDays(1));
        second.ApplyReportedStatus(TransactionStatus.Paid, "poller:ecomcharge", at.AddDays(1).AddMinutes(3));
        return payment;
    }

    /// <summary>The callback and the staff action that belong to the rich payment's timeline.</summary>
    public static (WebhookDelivery Delivery, Action<Microsoft.EntityFrameworkCore.DbContext> AddAudit) RichExtras()
    {
        var at = new DateTime(2026, 10, 30, 14, 10, 0, DateTimeKind.Utc);
        var delivery = new WebhookDelivery(WebhookSource.EComCharge, "ecm-5a1f0c77:successful", "ecm-5a1f0c77", "successful",
            "{\"transaction\":{\"uid\":\"ecm-5a1f0c77\",\"status\":\"successful\",\"amount\":11340,\"currency\":\"EUR\",\"credit_card\":{\"last_4\":\"7315\",\"brand\":\"master\",\"number\":\"545454******7315\"}}}",
            at.AddMinutes(-1));
        delivery.MarkApplied(RichId, at.AddMinutes(-1));
        return (delivery, db => new AuditTrail(new Infrastructure.FixedClock(new DateTimeOffset(at.AddDays(1)))).Record(db,
            Actor.User("admin", "admin@portal.local"), "refund.completed", "transaction", "txn_01SAMPLERICH0000000000002", RichId,
            amountBefore: 0, amountAfter: 2000, currency: "EUR", details: "Partial refund: one cooking class seat cancelled"));
    }
}
