using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

/// <summary>
/// Properties that must hold for every payment, checked over 2,000 generated payments each.
/// The generator is seeded: a failure message names the payment, and the same seed reproduces it.
/// </summary>
public sealed class AmountsPropertyTests
{
    private const int Count = 2_000;

    [Fact]
    public void Final_IsTotalMinusDiscount_AndBetweenZeroAndTotal()
    {
        foreach (var generated in RandomPayments.Generate(Count, seed: 1))
        {
            var result = PaymentAmounts.Compute(generated.LineAmounts, generated.DiscountRules, []);

            Assert.True(result.FinalAmount == result.TotalAmount - result.DiscountAmount, $"{generated}: final ≠ total − discount");
            Assert.True(result.FinalAmount >= 0 && result.FinalAmount <= result.TotalAmount, $"{generated}: final outside [0, total]");
            Assert.True(result.DiscountAppliedAmounts.Sum() == result.DiscountAmount, $"{generated}: applied discounts do not add up");
            Assert.True(result.DiscountAppliedAmounts.All(a => a >= 0), $"{generated}: a discount added to the price");
        }
    }

    [Fact]
    public void LineFinals_AreBetweenZeroAndGross_AndSumToTotal()
    {
        foreach (var generated in RandomPayments.Generate(Count, seed: 2))
        {
            var result = PaymentAmounts.Compute(generated.LineAmounts, [], []);
            var lines = generated.LineAmounts.ToList();

            for (var i = 0; i < lines.Count; i++)
                Assert.True(result.LineFinalAmounts[i] >= 0 && result.LineFinalAmounts[i] <= lines[i].Quantity * lines[i].UnitAmount, $"{generated}: line {i}");
            Assert.True(result.LineFinalAmounts.Sum() == result.TotalAmount, $"{generated}: total ≠ Σ lines");
        }
    }

    [Fact]
    public void Remaining_IsFinalMinusPaidClampedAtZero_AndPaidCountsOnlyMoneyTaken()
    {
        foreach (var generated in RandomPayments.Generate(Count, seed: 3))
        {
            var payment = generated.Build();
            var expectedPaid = generated.Transactions.Where(t => PaymentAmounts.MoneyTakenStatuses.Contains(t.Status)).Sum(t => t.ProcessedAmount);

            Assert.True(payment.PaidAmount == expectedPaid, $"{generated}: paid {payment.PaidAmount}, expected {expectedPaid}");
            Assert.True(payment.RemainingAmount == Math.Max(0, payment.FinalAmount - payment.PaidAmount), $"{generated}: remaining");
            Assert.True(payment.PaidVoucherAmount <= payment.PaidAmount, $"{generated}: vouchers exceed paid");
        }
    }

    [Fact]
    public void DiscountOrder_IsDecidedByIndex_NotByTheOrderAdded()
    {
        var shuffler = new SeededRandom(99);
        foreach (var generated in RandomPayments.Generate(Count, seed: 4, distinctDiscountIndexes: true))
        {
            var asGiven = generated.Build();
            var shuffled = generated.Build(shuffler.Shuffle(generated.Discounts));

            Assert.True(asGiven.FinalAmount == shuffled.FinalAmount, $"{generated}: final depends on insertion order");
            var appliedByIndex = asGiven.Discounts.ToDictionary(d => d.Index, d => d.AppliedAmount);
            Assert.All(shuffled.Discounts, d => Assert.True(appliedByIndex[d.Index] == d.AppliedAmount, $"{generated}: discount {d.Index}"));
        }
    }

    [Fact]
    public void DiscountsAllAtOnce_EqualApplyingThemOneByOneInIndexOrder()
    {
        foreach (var generated in RandomPayments.Generate(Count, seed: 5))
        {
            var all = PaymentAmounts.Compute(generated.LineAmounts, generated.DiscountRules, []);
            var running = all.TotalAmount;
            foreach (var rule in generated.DiscountRules.Select((r, i) => (r, i)).OrderBy(x => x.r.Index).ThenBy(x => x.i).Select(x => x.r))
                running = PaymentAmounts.Compute([new LineAmounts(1, running)], [rule], []).FinalAmount;

            Assert.True(all.FinalAmount == running, $"{generated}: {all.FinalAmount} at once, {running} one by one");
        }
    }

    [Fact]
    public void RecomputeAmounts_IsIdempotent()
    {
        foreach (var generated in RandomPayments.Generate(Count, seed: 6))
        {
            var payment = generated.Build();
            var stored = Snapshot(payment);

            var first = payment.RecomputeAmounts();
            var second = payment.RecomputeAmounts();

            Assert.True(stored == Snapshot(payment), $"{generated}: recompute changed stored amounts");
            Assert.Equal(first.LineFinalAmounts, second.LineFinalAmounts);
            Assert.Equal(first.DiscountAppliedAmounts, second.DiscountAppliedAmounts);
            Assert.Equal(first with { LineFinalAmounts = [], DiscountAppliedAmounts = [] }, second with { LineFinalAmounts = [], DiscountAppliedAmounts = [] });
        }
    }

    [Fact]
    public void TotalsMismatch_IsSetExactlyWhenAReportedTotalDiffers()
    {
        var random = new SeededRandom(7);
        foreach (var generated in RandomPayments.Generate(Count, seed: 7))
        {
            var payment = generated.Build();
            var exact = new ReportedTotals(payment.TotalAmount, payment.DiscountAmount, payment.FinalAmount,
                payment.PaidAmount, payment.PaidVoucherAmount, payment.RemainingAmount);
            var delta = random.Chance(50) ? 0 : random.Pick(new long[] { -100, -1, 1, 7, 1_000 });
            var reported = random.Between(0, 5) switch
            {
                0 => exact with { TotalAmount = exact.TotalAmount + delta },
                1 => exact with { DiscountAmount = exact.DiscountAmount + delta },
                2 => exact with { FinalAmount = exact.FinalAmount + delta },
                3 => exact with { PaidAmount = exact.PaidAmount + delta },
                4 => exact with { PaidVoucherAmount = exact.PaidVoucherAmount + delta },
                _ => exact with { RemainingAmount = exact.RemainingAmount + delta },
            };
            if (random.Chance(20)) reported = reported with { TotalAmount = null };

            payment.RecordReportedTotals(reported, PaymentBuilder.T0.AddDays(1));

            var differs = reported != exact && reported != (exact with { TotalAmount = null });
            Assert.True(payment.TotalsMismatch == differs, $"{generated}: mismatch {payment.TotalsMismatch} for delta {delta}");
        }
    }

    private static (long, long, long, long, long, long, string, string) Snapshot(Payment p) =>
        (p.TotalAmount, p.DiscountAmount, p.FinalAmount, p.PaidAmount, p.PaidVoucherAmount, p.RemainingAmount,
            string.Join(",", p.Lines.Select(l => l.FinalAmount)), string.Join(",", p.Discounts.Select(d => d.AppliedAmount)));
}
