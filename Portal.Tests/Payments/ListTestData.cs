using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

/// <summary>A small, hand-picked set of payments covering every filter, sort and search shape.</summary>
internal static class ListTestData
{
    public const string CallUuid = "6f1c2b7e-3d4a-4b8e-9a51-0c2d3e4f5a6b";

    public static readonly DateTime Day = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>EUR 25.00, confirmed by Visa •••• 4242 on eComCharge, Anna Rossi.</summary>
    public static Payment Anna() => PaymentBuilder.APayment()
        .WithId("pay_01JANNA0000000000000000001")
        .CreatedAt(Day)
        .WithReference("ORD-1001")
        .WithCustomer("Anna.Rossi@Example.com", "Anna", "Rossi")
        .With(p => p with { SelectedGatewayId = "ecomcharge" })
        .WithLine(2500)
        .WithTransaction(t => t with
        {
            Id = "txn_01JANNA0000000000000000001", CreatedAtUtc = Day.AddMinutes(1), Status = TransactionStatus.Confirmed,
            RequestedAmount = 2500, ProcessedAmount = 2500, ConfirmedAmount = 2500, ExternalId1 = "ECM-UID-777",
            Gateway = new GatewayRef("ecomcharge", "eComCharge"), Card = CardDetails.Create(null, "4242", "Visa", 12, 2028),
        })
        .Build();

    /// <summary>JPY 1500 (no decimals), wallet, sandbox tenant, Bob Stone, requested.</summary>
    public static Payment Bob() => PaymentBuilder.APayment()
        .WithId("pay_01JBOB00000000000000000002")
        .InCurrency(Currency.JPY)
        .CreatedAt(Day.AddDays(-1))
        .WithReference("ORD-1002")
        .WithCustomer("BOB@Example.org", "Bob", "Stone")
        .With(p => p with { SelectedGatewayId = "voucherly", Mode = PaymentMode.Wallet, Tenant = PaymentTenant.Sand })
        .WithLine(1500)
        .Build();

    /// <summary>BHD 12.345 (three decimals), taken on a call, paid with Mastercard •••• 1881.</summary>
    public static Payment Carla() => PaymentBuilder.APayment()
        .WithId("pay_01JCARLA000000000000000003")
        .InCurrency(Currency.BHD)
        .CreatedAt(Day.AddDays(-2))
        .WithReference("ORD-1003")
        .WithCustomer("carla@example.net", "Carla", "Bianchi")
        .With(p => p with { SelectedGatewayId = "vcc", InCall = true, CallUuid = CallUuid, AgentName = "Agent Smith", ProjectId = "proj-7" })
        .WithLine(12345)
        .WithTransaction(t => t with
        {
            Id = "txn_01JCARLA000000000000000003", CreatedAtUtc = Day.AddDays(-2).AddMinutes(1), Status = TransactionStatus.Paid,
            RequestedAmount = 12345, ProcessedAmount = 12345, Gateway = new GatewayRef("vcc", "Contact centre"),
            Card = CardDetails.Create(null, "1881", "Mastercard", 1, 2030), TrackingId = "trk-carla-1",
        })
        .Build();

    /// <summary>EUR 9.99 whose gateway-reported final total disagrees (flagged).</summary>
    public static Payment Dino() => PaymentBuilder.APayment()
        .WithId("pay_01JDINO0000000000000000004")
        .CreatedAt(Day.AddDays(-3))
        .WithReference("ORD-1004")
        .WithCustomer("dino@example.com", "Dino", "Verdi")
        .With(p => p with { SelectedGatewayId = "ecomcharge" })
        .WithLine(999)
        .WithReportedTotals(new ReportedTotals(FinalAmount: 1099))
        .Build();

    /// <summary>EUR 120.00, no customer name, a failed attempt with card •••• 4242 too (a second payment for that last 4).</summary>
    public static Payment Ettore() => PaymentBuilder.APayment()
        .WithId("pay_01JETTORE00000000000000005")
        .CreatedAt(Day.AddDays(-4))
        .With(p => p with { SelectedGatewayId = "ecomcharge" })
        .WithLine(6000, quantity: 2)
        .WithTransaction(t => t with
        {
            Id = "txn_01JETTORE00000000000000005", CreatedAtUtc = Day.AddDays(-4).AddMinutes(1), Status = TransactionStatus.Failed,
            RequestedAmount = 12000, Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            Card = CardDetails.Create(null, "4242", "Visa", 3, 2027),
            Error = TransactionError.Create(TransactionErrorCode.Declined, "Insufficient funds", "05"),
        })
        .Build();

    public static IReadOnlyList<Payment> All() => [Anna(), Bob(), Carla(), Dino(), Ettore()];

    public static async Task<TestDatabase> SeedAsync(IEnumerable<Payment>? payments = null)
    {
        var db = TestDatabase.CreateMigrated();
        await using var context = db.CreateDbContext();
        context.AddRange(payments ?? All());
        await context.SaveChangesAsync();
        return db;
    }
}
