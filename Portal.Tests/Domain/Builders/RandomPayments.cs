using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Tests.Domain.Builders;

/// <summary>One generated payment's parts, kept separately so a property can rearrange them.</summary>
public sealed record GeneratedPayment(
    int Seed,
    Currency Currency,
    IReadOnlyList<NewPaymentLine> Lines,
    IReadOnlyList<NewPaymentDiscount> Discounts,
    IReadOnlyList<NewTransaction> Transactions)
{
    public Payment Build(IEnumerable<NewPaymentDiscount>? discountsInOrder = null)
    {
        var payment = Payment.Create(new NewPayment { Currency = Currency, Source = PaymentSource.Demo, CreatedAtUtc = PaymentBuilder.T0 });
        foreach (var line in Lines) payment.AddLine(line);
        foreach (var discount in discountsInOrder ?? Discounts) payment.AddDiscount(discount);
        foreach (var transaction in Transactions) payment.AddTransaction(transaction, "generator");
        return payment;
    }

    public IEnumerable<LineAmounts> LineAmounts =>
        Lines.Select(l => new LineAmounts(l.Quantity, l.UnitAmount, l.UnitDiscountAmount, l.DiscountAmount));

    public IEnumerable<DiscountRule> DiscountRules => Discounts.Select(d => new DiscountRule(d.Amount, d.Type, d.Value, d.Index));

    public override string ToString() => $"generated payment #{Seed}";
}

/// <summary>
/// Generates varied but valid payments for property tests: 0-6 lines with per-unit and line
/// discounts (sometimes exceeding the line), 0-5 discounts of every shape the spec allows, and
/// 0-4 transactions in any status with consistent amounts (refunded ≤ confirmed).
/// </summary>
public static class RandomPayments
{
    private static readonly Currency[] Currencies = [Currency.EUR, Currency.USD, Currency.HUF, Currency.JPY, Currency.BHD];
    private static readonly TransactionStatus[] Statuses = Enum.GetValues<TransactionStatus>();

    public static IEnumerable<GeneratedPayment> Generate(int count, ulong seed, bool distinctDiscountIndexes = false)
    {
        var random = new SeededRandom(seed);
        for (var i = 0; i < count; i++) yield return One(random, i, distinctDiscountIndexes);
    }

    private static GeneratedPayment One(SeededRandom r, int seed, bool distinctIndexes)
    {
        var lines = Enumerable.Range(0, r.Between(0, 6)).Select(_ =>
        {
            var unit = r.Between(0L, 50_000L);
            return new NewPaymentLine
            {
                Quantity = r.Between(0, 9),
                UnitAmount = unit,
                UnitDiscountAmount = r.Chance(30) ? r.Between(0L, unit + 100) : 0,
                DiscountAmount = r.Chance(30) ? r.Between(0L, 20_000L) : 0,
            };
        }).ToList();
        var roughTotal = lines.Sum(l => l.Quantity * l.UnitAmount);

        var indexes = r.Shuffle(Enumerable.Range(0, 20)).ToList();
        var discounts = Enumerable.Range(0, r.Between(0, 5)).Select(k => Discount(r, roughTotal, distinctIndexes ? indexes[k] : r.Between(0, 3))).ToList();

        var transactions = Enumerable.Range(0, r.Between(0, 4)).Select(k =>
        {
            var processed = r.Between(0L, Math.Max(1, roughTotal));
            var confirmed = r.Chance(70) ? processed : r.Between(0L, processed);
            return new NewTransaction
            {
                CreatedAtUtc = PaymentBuilder.T0.AddMinutes(k + 1),
                Status = r.Pick(Statuses),
                RequestedAmount = processed,
                ProcessedAmount = processed,
                VoucherAmount = r.Chance(25) ? r.Between(0L, processed) : 0,
                ConfirmedAmount = confirmed,
                RefundedAmount = r.Chance(30) ? r.Between(0L, confirmed) : 0,
            };
        }).ToList();

        return new GeneratedPayment(seed, r.Pick(Currencies), lines, discounts, transactions);
    }

    private static NewPaymentDiscount Discount(SeededRandom r, long roughTotal, int index) => r.Between(0, 4) switch
    {
        0 => new NewPaymentDiscount { Amount = r.Between(0L, Math.Max(1, roughTotal / 2)), Index = index },
        1 => new NewPaymentDiscount { Type = DiscountType.DollarOff, Value = r.Between(0L, Math.Max(1, roughTotal / 3)), Index = index },
        2 => new NewPaymentDiscount { Type = DiscountType.PercentOff, Value = r.Between(0, 200) / 2m, Index = index },
        3 => new NewPaymentDiscount { Type = DiscountType.Fixed, Value = r.Between(0L, Math.Max(1, roughTotal)), Index = index },
        _ => new NewPaymentDiscount { Type = r.Pick(Enum.GetValues<DiscountType>()), Value = r.Between(0, 100), Amount = r.Between(0L, 5_000L), Index = index },
    };
}
