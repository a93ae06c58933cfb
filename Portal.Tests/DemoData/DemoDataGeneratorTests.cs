using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Portal.DemoData;
using Portal.Domain.Payments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.DemoData;

/// <summary>
/// The demo data looks like a real merchant's: every scenario the portal must show is there in
/// a plausible share, amounts add up (except the few deliberately inconsistent reports), and no
/// card number exists anywhere.
/// </summary>
public sealed class DemoDataGeneratorTests
{
    private static readonly DateTime End = new(2026, 11, 22, 19, 0, 0, DateTimeKind.Utc);
    private static readonly Lazy<List<Payment>> Sample = new(() =>
        new DemoDataGenerator(new DemoDataSpec(5000, 2026, End)).Generate().Select(d => d.Payment).ToList());

    private static List<Payment> Payments => Sample.Value;

    [Fact]
    public void Generate_SameSeed_SamePayments()
    {
        var spec = new DemoDataSpec(200, 99, End);
        var first = new DemoDataGenerator(spec).Generate().Select(Describe).ToList();
        var second = new DemoDataGenerator(spec).Generate().Select(Describe).ToList();
        var other = new DemoDataGenerator(spec with { Seed = 100 }).Generate().Select(Describe).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Create_AnyIndexAlone_EqualsSameIndexInSequence()
    {
        var generator = new DemoDataGenerator(new DemoDataSpec(300, 8, End));
        var inSequence = generator.Generate().Select(Describe).ToList();
        foreach (var index in new[] { 299, 0, 150, 7 })
            Assert.Equal(inSequence[index], Describe(generator.Create(index)));
    }

    [Fact]
    public void Generate_TimesWithinWindow_Ascending_DenserRecently_BusinessHours()
    {
        var times = Payments.Select(p => p.CreatedAtUtc).ToList();
        Assert.All(times, t => Assert.InRange(t, End.Date.AddDays(-59), End));
        Assert.Equal(times.OrderBy(t => t), times);
        var oldWeek = times.Count(t => t < End.Date.AddDays(-52));
        var lastWeek = times.Count(t => t >= End.Date.AddDays(-7));
        Assert.True(lastWeek > oldWeek * 2, $"last week {lastWeek}, first week {oldWeek}");
        var night = times.Count(t => t.Hour is >= 1 and < 5);
        var noon = times.Count(t => t.Hour is >= 11 and < 15);
        Assert.True(noon > night * 8, $"noon {noon}, night {night}");
    }

    [Fact]
    public void Generate_EveryScenario_PresentInPlausibleShare()
    {
        var n = (double)Payments.Count;
        Share("partial refunds", p => p.Transactions.Any(t => t.Status == TransactionStatus.RefundedPartially), 0.01, 0.08);
        Share("full refunds", p => p.Status == PaymentStatus.Refunded, 0.005, 0.05);
        Share("declined then paid", p => p.Transactions.Any(t => t.Status == TransactionStatus.Failed)
                                         && p.Status is PaymentStatus.Confirmed or PaymentStatus.Refunded, 0.04, 0.15);
        Share("vouchers", p => p.Transactions.Any(t => t.NoOfVouchers > 0 && t.VoucherAmount > 0 && t.GatewayId == "voucherly-edenred"), 0.01, 0.15);
        Share("wallets", p => p.Mode == PaymentMode.Wallet && p.ParentPaymentId != null && p.Transactions.All(t => t.IsWallet), 0.005, 0.05);
        Share("3-D Secure", p => p.StatusChanges.Any(c => c.ToStatus == nameof(TransactionStatus.NextAction)), 0.05, 0.3);
        Share("cancelled", p => p.Status == PaymentStatus.Cancelled, 0.01, 0.08);
        Share("expired", p => p.Status == PaymentStatus.Expired, 0.02, 0.15);
        Share("authorised only", p => p.Status == PaymentStatus.Paid, 0.0005, 0.05);
        Share("voided", p => p.Status == PaymentStatus.Voided, 0.001, 0.02);
        Share("SEPA", p => p.Transactions.Any(t => t.DirectDebit is { MaskedIban.Length: > 10 }), 0.005, 0.05);
        Share("VCC phone", p => p.Source == PaymentSource.Vcc && p.CallUuid != null && p.AgentName != null && p.ProjectId != null, 0.1, 0.3);
        Share("VCC in call", p => p.Source == PaymentSource.Vcc && p.InCall, 0.08, 0.3);
        Share("VCC after call", p => p.Source == PaymentSource.Vcc && !p.InCall, 0.005, 0.1);
        Share("masked cards", p => p.Transactions.Any(t => t.Card is { Brand: not null, Last4.Length: 4, ExpirationMonth: not null, ExpirationYear: not null }), 0.8, 1);
        Share("discounts", p => p.Discounts.Count > 0, 0.05, 0.25);
        Share("several discounts with indexes", p => p.Discounts.Select(d => d.Index).Distinct().Count() > 1, 0.005, 0.1);
        Share("food lines", p => p.Lines.Any(l => l.IsFood && l.TaxRate != null), 0.3, 0.9);
        Share("gift lines", p => p.Lines.Any(l => l.IsGift), 0.05, 0.5);
        Share("reported totals mismatch", p => p.TotalsMismatch, 0.002, 0.009);
        Assert.Contains(Payments, p => p.Transactions.Any(t => t.Status == TransactionStatus.Reversed));
        Assert.Contains(Payments, p => p.Transactions.Any(t => t.Status == TransactionStatus.ImpossibleRefund));

        foreach (var type in Enum.GetValues<DiscountType>())
            Assert.Contains(Payments, p => p.Discounts.Any(d => d.Type == type));
        Assert.Contains(Payments, p => p.Discounts.Any(d => d.Type is null && d.Amount > 0));
        foreach (var source in new[] { PaymentSource.Voucherly, PaymentSource.EComCharge, PaymentSource.Vcc, PaymentSource.CardGateway })
            Share(source.ToString(), p => p.Source == source, 0.1, 0.5);
        foreach (var (id, name) in new[] { ("ecomcharge", "eComCharge"), ("voucherly-edenred", "Edenred"), ("vcc", "VCC phone payment"), ("cardgateway", "Card gateway") })
            Assert.All(Payments.SelectMany(p => p.Transactions).Where(t => t.GatewayId == id), t => Assert.Equal(name, t.GatewayName));
        foreach (var code in new[] { "EUR", "USD", "GBP", "HUF", "JPY", "BHD", "CHF", "PLN" })
            Assert.Contains(Payments, p => p.Currency.Code == code);
        Assert.Contains(Payments, p => p.Currency.Exponent == 0);
        Assert.Contains(Payments, p => p.Currency.Exponent == 3);
        Assert.Contains(Payments, p => p.Transactions.Any(t => t.Error is { ExternalMessage: not null, ExternalCode: not null, Code: TransactionErrorCode.Declined }));

        void Share(string what, Func<Payment, bool> predicate, double min, double max)
        {
            var share = Payments.Count(predicate) / n;
            Assert.True(share >= min && share <= max, $"{what}: {share:P2} is outside {min:P1}..{max:P1}");
        }
    }

    [Fact]
    public void Generate_RecentPayments_IncludeInFlightAttempts()
    {
        var recent = new DemoDataGenerator(new DemoDataSpec(20_000, 4, End)).Generate()
            .Select(d => d.Payment).Where(p => p.CreatedAtUtc > End.AddHours(-2)).ToList();
        var open = recent.SelectMany(p => p.Transactions).Where(t => t.Status is TransactionStatus.Requested or TransactionStatus.NextAction).ToList();
        Assert.NotEmpty(open);
        Assert.Contains(open, t => t.Status == TransactionStatus.NextAction && t.NextAction?.Url?.StartsWith("https://", StringComparison.Ordinal) == true);
        Assert.Contains(open, t => t.CreatedAtUtc < End.AddMinutes(-15));
    }

    [Fact]
    public void Generate_Amounts_AddUp_ExceptDeliberateMismatches()
    {
        foreach (var p in Payments)
        {
            var lineFinals = p.Lines.Select(l => Math.Max(0, l.Quantity * l.UnitAmount - l.Quantity * l.UnitDiscountAmount - l.DiscountAmount)).ToList();
            Assert.Equal(lineFinals, p.Lines.Select(l => l.FinalAmount).ToList());
            Assert.Equal(lineFinals.Sum(), p.TotalAmount);
            Assert.Equal(p.TotalAmount - p.DiscountAmount, p.FinalAmount);
            Assert.Equal(p.Discounts.Sum(d => d.AppliedAmount), p.DiscountAmount);
            var paid = p.Transactions.Where(t => PaymentAmounts.MoneyTakenStatuses.Contains(t.Status)).Sum(t => t.ProcessedAmount);
            Assert.Equal(paid, p.PaidAmount);
            Assert.Equal(Math.Max(0, p.FinalAmount - p.PaidAmount), p.RemainingAmount);
            Assert.All(p.Transactions, t => Assert.InRange(t.RefundedAmount, 0, t.ConfirmedAmount));
            Assert.All(p.Transactions, t => Assert.Equal(p.Currency, t.Currency));
            // A chargeback (Reversed) takes the money back without changing the payment's status.
            if (p.Status is PaymentStatus.Confirmed or PaymentStatus.Refunded && p.Transactions.All(t => t.Status != TransactionStatus.Reversed))
                Assert.True(p.RemainingAmount == 0, $"{p.Id} is {p.Status} with {p.RemainingAmount} remaining");

            var reportedDisagrees = (p.ReportedFinalAmount is { } f && f != p.FinalAmount) || (p.ReportedTotalAmount is { } t0 && t0 != p.TotalAmount)
                                    || (p.ReportedPaidAmount is { } pa && pa != p.PaidAmount);
            Assert.Equal(reportedDisagrees, p.TotalsMismatch);
            Assert.All(p.StatusChanges, c => Assert.True(c.AtUtc <= End, $"{p.Id} has an event after the end"));
        }
    }

    [Fact]
    public async Task Load_NoFullCardNumberOrIbanAnywhere()
    {
        using var database = TestDatabase.CreateMigrated();
        await using (var db = database.CreateDbContext())
            await new DemoDataBulkLoader($"Data Source={database.File}", db.Model).LoadAsync(new DemoDataGenerator(new DemoDataSpec(3000, 77, End, 7)));
        SqliteConnection.ClearAllPools();

        var longDigitRun = new Regex(@"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])", RegexOptions.CultureInvariant);
        var fullIban = new Regex(@"\b[A-Z]{2}\d{2}[0-9A-Z]{11,30}\b", RegexOptions.CultureInvariant);
        var checkedValues = 0;
        foreach (var table in DemoTables.Names)
        {
            foreach (var (column, value) in DemoTables.TextValues(database.File, table))
            {
                checkedValues++;
                Assert.False(SensitiveData.LooksLikeFullPan(value), $"{table}.{column} looks like a card number: {value}");
                Assert.False(longDigitRun.IsMatch(value), $"{table}.{column} holds a card-number-like digit run: {value}");
                if (column.Contains("Iban", StringComparison.Ordinal)) Assert.DoesNotMatch(fullIban, value);
            }
        }
        Assert.True(checkedValues > 50_000);
        Assert.True(DemoTables.Scalar(database.File, "SELECT COUNT(*) FROM PaymentTransactions WHERE CardMaskedPan LIKE '%******%'") > 100);
    }

    private static string Describe(DemoPayment demo)
    {
        var p = demo.Payment;
        return string.Join(";", new object?[]
        {
            p.Id, p.CreatedAtUtc.Ticks, p.Status, p.Currency, p.FinalAmount, p.PaidAmount, p.CustomerEmailNormalized, p.Metadata.ToJson(),
            string.Join(",", p.Lines.Select(l => $"{l.ProductId}x{l.Quantity}@{l.UnitAmount}")),
            string.Join(",", p.Transactions.Select(t => $"{t.Id}:{t.Status}:{t.ProcessedAmount}:{t.Card?.MaskedPan}:{t.ExternalId1}")),
            string.Join(",", p.StatusChanges.Select(c => $"{c.ToStatus}@{c.AtUtc.Ticks}")),
            demo.Deliveries.Count,
        });
    }
}
