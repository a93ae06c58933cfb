using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Persistence;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

/// <summary>
/// A small seeded payment generator for testing the benchmark harness (the portal's own demo
/// data generator replaces it for the real runs). Payments are built through the domain model
/// and saved in batches, one context per batch.
/// </summary>
internal static class BenchSeeder
{
    public static readonly DateTime End = new(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] First = ["Anna", "Marco", "Sofia", "Luca", "Emma", "Noah", "Giulia", "Leo", "Chiara", "Tom", "Alice", "Mattia",
        "Hannah", "Oliver", "Yuki", "Fatima", "Lena", "Paul", "Eva", "Jonas", "Mia", "Elias", "Nora", "Felix"];
    private static readonly string[] Last = ["Rossi", "Conti", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Costa", "Fontana", "Moretti", "Barbieri",
        "Lombardi", "Schulz", "Wright", "Tanaka", "Haddad", "Novak", "Weber", "Silva", "Jansen", "Kowalski", "Dubois"];
    private static readonly (Currency Currency, int Weight)[] Currencies =
        [(Currency.EUR, 70), (Currency.GBP, 8), (Currency.USD, 8), (Currency.HUF, 4), (Currency.JPY, 5), (Currency.BHD, 3), (Currency.CHF, 2)];
    private static readonly string[] Brands = ["Visa", "Mastercard", "Amex", "Maestro"];

    public static async Task SeedAsync(IDbContextFactory<PortalDbContext> database, int payments, TextWriter output, CancellationToken cancellationToken)
    {
        var r = new SeededRandom(20261122);
        var span = TimeSpan.FromDays(365);
        var customers = Math.Max(50, payments / 3);
        const int batch = 2000;
        for (var start = 0; start < payments; start += batch)
        {
            await using var db = await database.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(payments, start + batch); i++)
                db.Add(One(r, i, End - span + span * ((i + 0.5) / payments), customers));
            await db.SaveChangesAsync(cancellationToken);
            if ((start / batch) % 50 == 49) output.WriteLine($"  … {start + batch:N0} payments");
        }
    }

    private static Payment One(SeededRandom r, int i, DateTime at, int customers)
    {
        at = at.AddMilliseconds(r.Between(0, 999));
        var currency = Weighted(r);
        var customer = r.Between(0, customers - 1);
        var (first, last) = (First[customer % First.Length], Last[customer / First.Length % Last.Length]);
        var gatewayRoll = r.Between(1, 100);
        var gateway = gatewayRoll <= 50 ? "ecomcharge" : gatewayRoll <= 80 ? "voucherly" : "vcc";
        var payment = Payment.Create(new NewPayment
        {
            Id = Ids.New(Ids.PaymentPrefix, new FixedClock(new DateTimeOffset(at))),
            Currency = currency,
            Source = gateway == "vcc" ? PaymentSource.Vcc : gateway == "voucherly" ? PaymentSource.Voucherly : PaymentSource.EComCharge,
            CreatedAtUtc = at,
            ReferenceId = $"ORD-{100000 + i}",
            Customer = PaymentCustomer.Create($"cus_{customer}", $"{first}.{last}{customer}@example.com".ToLowerInvariant(), first, last),
            SelectedGatewayId = gateway,
            InCall = gateway == "vcc",
            CallUuid = gateway == "vcc" ? $"{i:x8}-0000-4000-8000-{customer:x12}" : null,
            Mode = r.Chance(90) ? PaymentMode.Payment : r.Chance(70) ? PaymentMode.Wallet : PaymentMode.Setup,
            Tenant = r.Chance(95) ? PaymentTenant.Live : PaymentTenant.Sand,
        });
        var scale = currency.Exponent switch { 0 => 1, 3 => 10, _ => currency == Currency.HUF ? 300 : 1 };
        long total = 0;
        for (var l = r.Between(1, 3); l > 0; l--)
        {
            var unit = r.Between(2, 400) * 50L * scale;
            var qty = r.Between(1, 3);
            payment.AddLine(new NewPaymentLine { UnitAmount = unit, Quantity = qty, ProductName = $"Product {r.Between(1, 200)}" });
            total += unit * qty;
        }
        if (r.Chance(15)) payment.AddDiscount(new NewPaymentDiscount { Type = DiscountType.PercentOff, Value = 10, Name = "Promo" });
        total = payment.FinalAmount;

        var outcome = r.Between(1, 100);
        var attempts = outcome <= 8 ? 0 : r.Chance(15) ? 2 : 1;
        for (var a = 0; a < attempts; a++)
        {
            var lastAttempt = a == attempts - 1;
            var status = !lastAttempt ? TransactionStatus.Failed
                : outcome <= 70 ? TransactionStatus.Confirmed
                : outcome <= 80 ? TransactionStatus.Paid
                : outcome <= 85 ? TransactionStatus.RefundedPartially
                : outcome <= 88 ? TransactionStatus.Refunded
                : outcome <= 95 ? TransactionStatus.Failed
                : TransactionStatus.NextAction;
            var taken = status is TransactionStatus.Confirmed or TransactionStatus.Paid or TransactionStatus.RefundedPartially or TransactionStatus.Refunded;
            var confirmed = status is TransactionStatus.Confirmed or TransactionStatus.RefundedPartially or TransactionStatus.Refunded ? total : 0;
            payment.AddTransaction(new NewTransaction
            {
                CreatedAtUtc = at.AddSeconds(30 + a * 90),
                Gateway = new GatewayRef(gateway, gateway),
                Status = status,
                RequestedAmount = total,
                ProcessedAmount = taken ? total : 0,
                ConfirmedAmount = confirmed,
                RefundedAmount = status == TransactionStatus.Refunded ? confirmed : status == TransactionStatus.RefundedPartially ? confirmed / 3 : 0,
                ExternalId1 = $"gw-{i}-{a}",
                Card = CardDetails.Create(null, r.Between(0, 9999).ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
                    Brands[r.Between(0, Brands.Length - 1)], r.Between(1, 12), r.Between(2026, 2031)),
                Error = status == TransactionStatus.Failed ? TransactionError.Create(TransactionErrorCode.Declined, "Declined", "05") : null,
            }, "bench");
        }
        if (r.Chance(1)) payment.RecordReportedTotals(new ReportedTotals(FinalAmount: total + 1), at.AddMinutes(5));
        return payment;
    }

    private static Currency Weighted(SeededRandom r)
    {
        var roll = r.Between(1, Currencies.Sum(c => c.Weight));
        foreach (var (currency, weight) in Currencies)
        {
            if (roll <= weight) return currency;
            roll -= weight;
        }
        return Currency.EUR;
    }
}
