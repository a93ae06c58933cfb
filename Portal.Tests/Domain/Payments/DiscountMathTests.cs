using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;

namespace Portal.Tests.Domain.Payments;

/// <summary>Hand-computed examples of the amounts rules, one per rule, so a failure names the rule that broke.</summary>
public sealed class DiscountMathTests
{
    private static AmountsBreakdown Compute(long total, params DiscountRule[] discounts) =>
        PaymentAmounts.Compute([new LineAmounts(1, total)], discounts, []);

    [Fact]
    public void LineFinal_QuantityUnitAndDiscounts_SubtractsBoth() =>
        Assert.Equal(2500, PaymentAmounts.LineFinal(new LineAmounts(3, 1000, 100, 200))); // 3000 - 300 - 200

    [Fact]
    public void LineFinal_DiscountsExceedLine_IsZeroNotNegative() =>
        Assert.Equal(0, PaymentAmounts.LineFinal(new LineAmounts(1, 500, 300, 400)));

    [Fact]
    public void TotalAmount_IsSumOfLineFinals()
    {
        var result = PaymentAmounts.Compute([new LineAmounts(3, 1000, 100, 200), new LineAmounts(2, 450), new LineAmounts(1, 500, 300, 400)], [], []);

        Assert.Equal([2500, 900, 0], result.LineFinalAmounts);
        Assert.Equal(3400, result.TotalAmount);
        Assert.Equal(3400, result.FinalAmount);
    }

    [Fact]
    public void DollarOff_TakesValueCentsOff()
    {
        var result = Compute(10_000, new DiscountRule(null, DiscountType.DollarOff, 500, 0));

        Assert.Equal(9_500, result.FinalAmount);
        Assert.Equal(500, result.DiscountAmount);
    }

    [Theory]
    [InlineData(125, 10, 112)]     // 12.5 rounds away from zero to 13
    [InlineData(1000, 12.5, 875)]  // fractional percent: 125 off
    [InlineData(3, 50, 1)]         // 1.5 rounds to 2
    [InlineData(101, 50, 50)]      // 50.5 rounds to 51
    [InlineData(999, 33.3, 666)]   // 332.667 rounds to 333
    [InlineData(10_000, 100, 0)]
    [InlineData(10_000, 0, 10_000)]
    public void PercentOff_RoundsHalfAwayFromZeroToMinorUnit(long total, double percent, long final) =>
        Assert.Equal(final, Compute(total, new DiscountRule(null, DiscountType.PercentOff, (decimal)percent, 0)).FinalAmount);

    [Fact]
    public void Fixed_BelowRunningTotal_SetsRunningTotal()
    {
        var result = Compute(10_000, new DiscountRule(null, DiscountType.Fixed, 7_000, 0));

        Assert.Equal(7_000, result.FinalAmount);
        Assert.Equal(3_000, result.DiscountAmount);
    }

    [Fact]
    public void Fixed_AboveRunningTotal_NeverRaisesThePrice()
    {
        var result = Compute(10_000, new DiscountRule(null, DiscountType.Fixed, 12_000, 0));

        Assert.Equal(10_000, result.FinalAmount);
        Assert.Equal(0, result.DiscountAmount);
    }

    [Fact]
    public void ExplicitAmount_WinsOverTypeAndValue() =>
        Assert.Equal(9_900, Compute(10_000, new DiscountRule(100, DiscountType.PercentOff, 50, 0)).FinalAmount);

    [Fact]
    public void AmountOnly_TakesAmountOff() =>
        Assert.Equal(9_750, Compute(10_000, new DiscountRule(250, null, null, 0)).FinalAmount);

    [Fact]
    public void Order_PercentThenDollar_DiffersFromDollarThenPercent()
    {
        var percentFirst = Compute(10_000, new DiscountRule(null, DiscountType.DollarOff, 1_000, 1), new DiscountRule(null, DiscountType.PercentOff, 10, 0));
        var dollarFirst = Compute(10_000, new DiscountRule(null, DiscountType.DollarOff, 1_000, 0), new DiscountRule(null, DiscountType.PercentOff, 10, 1));

        Assert.Equal(8_000, percentFirst.FinalAmount); // 10000 - 1000 (10 %) - 1000
        Assert.Equal([1_000, 1_000], percentFirst.DiscountAppliedAmounts);
        Assert.Equal(8_100, dollarFirst.FinalAmount);  // 10000 - 1000 - 900 (10 % of 9000)
        Assert.Equal([1_000, 900], dollarFirst.DiscountAppliedAmounts);
    }

    [Fact]
    public void Order_FixedThenPercent_DiffersFromPercentThenFixed()
    {
        var fixedFirst = Compute(10_000, new DiscountRule(null, DiscountType.Fixed, 5_000, 0), new DiscountRule(null, DiscountType.PercentOff, 10, 1));
        var percentFirst = Compute(10_000, new DiscountRule(null, DiscountType.Fixed, 5_000, 1), new DiscountRule(null, DiscountType.PercentOff, 10, 0));

        Assert.Equal(4_500, fixedFirst.FinalAmount);
        Assert.Equal(5_000, percentFirst.FinalAmount);
    }

    [Fact]
    public void Order_EqualIndexes_KeepTheOrderGiven()
    {
        var dollarListedFirst = Compute(10_000, new DiscountRule(null, DiscountType.DollarOff, 1_000, 0), new DiscountRule(null, DiscountType.PercentOff, 10, 0));
        var percentListedFirst = Compute(10_000, new DiscountRule(null, DiscountType.PercentOff, 10, 0), new DiscountRule(null, DiscountType.DollarOff, 1_000, 0));

        Assert.Equal(8_100, dollarListedFirst.FinalAmount);
        Assert.Equal(8_000, percentListedFirst.FinalAmount);
    }

    [Fact]
    public void Discounts_BeyondTotal_StopAtZero()
    {
        var result = Compute(10_000, new DiscountRule(null, DiscountType.DollarOff, 20_000, 0), new DiscountRule(300, null, null, 1));

        Assert.Equal(0, result.FinalAmount);
        Assert.Equal(10_000, result.DiscountAmount);
        Assert.Equal([10_000, 0], result.DiscountAppliedAmounts);
    }

    [Fact]
    public void Validate_NoAmountTypeOrValue_ThrowsNamingAmount()
    {
        var e = Assert.Throws<InvalidDiscountException>(() => Compute(100, new DiscountRule(null, null, null, 0)));

        Assert.Contains("needs an amount", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TypeWithoutAmountOrValue_ThrowsNamingValue()
    {
        var e = Assert.Throws<InvalidDiscountException>(() => Compute(100, new DiscountRule(null, DiscountType.PercentOff, null, 0)));

        Assert.Contains("PERCENOFF discount needs a value", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 5.0)]                       // value without type
    [InlineData(-1L, null, null)]                       // negative amount
    [InlineData(null, DiscountType.PercentOff, 100.5)]  // over 100 %
    [InlineData(null, DiscountType.PercentOff, -1.0)]
    [InlineData(null, DiscountType.DollarOff, 10.5)]    // fraction of a minor unit
    [InlineData(null, DiscountType.Fixed, -100.0)]
    public void Validate_InvalidCombination_Throws(long? amount, DiscountType? type, double? value) =>
        Assert.Throws<InvalidDiscountException>(() => new DiscountRule(amount, type, (decimal?)value, 0).Validate());

    [Fact]
    public void AddDiscount_InvalidRule_IsRefusedByThePayment() =>
        Assert.Throws<InvalidDiscountException>(() =>
            PaymentBuilder.APayment().WithLine(1_000).WithDiscount(new NewPaymentDiscount { Index = 0 }).Build());

    [Fact]
    public void Payment_StoresPerDiscountAppliedAmountAndLineFinals()
    {
        var payment = PaymentBuilder.APayment().WithLine(1_000, quantity: 3, unitDiscountAmount: 100, discountAmount: 200)
            .WithPercentOff(10, index: 1).WithDollarOff(500, index: 0).Build();

        Assert.Equal(2_500, payment.Lines[0].FinalAmount);
        Assert.Equal(200, payment.Discounts[0].AppliedAmount); // 10 % of 2000, applied second
        Assert.Equal(500, payment.Discounts[1].AppliedAmount);
        Assert.Equal(2_500, payment.TotalAmount);
        Assert.Equal(700, payment.DiscountAmount);
        Assert.Equal(1_800, payment.FinalAmount);
        Assert.Equal(1_800, payment.RemainingAmount);
    }
}
