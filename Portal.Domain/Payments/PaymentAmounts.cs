namespace Portal.Domain.Payments;

/// <summary>
/// Recomputes a payment's amounts from its parts, so the portal never has to trust a total it
/// was told. Pure: same inputs, same result, no clock, no database.
/// <list type="bullet">
/// <item>Line final = quantity × unitAmount − quantity × unitDiscountAmount − discountAmount, never below 0.</item>
/// <item>totalAmount = Σ line finals.</item>
/// <item>Discounts apply to a running total (starting at totalAmount) in ascending <c>index</c>,
/// ties in the order given. An explicit amount takes that amount off. DOLLAROFF takes
/// <c>value</c> minor units off. PERCENOFF takes value % of the running total, rounded to the
/// minor unit half away from zero (12.5 → 13, so 10 % of 125 cents takes 13). FIXED sets the
/// running total to <c>value</c>, but only downwards: a discount never raises a price. Each
/// discount takes at most what is left, so the running total never goes below 0.</item>
/// <item>discountAmount = totalAmount − finalAmount (= Σ applied discounts).</item>
/// <item>paidAmount = Σ processed amount of transactions in <see cref="MoneyTakenStatuses"/>
/// (Paid, Confirmed, RefundedPartially, Refunded, ImpossibleRefund): money the customer handed
/// over. Refunds do not lower it: they give money back, they do not make the customer owe
/// again. Requested, NextAction, Failed, Cancelled, Voided, Expired and Reversed count nothing.</item>
/// <item>paidVoucherAmount = Σ voucherAmount of the same transactions (the processed amount
/// is taken to include the voucher part, as the spec says paidAmount includes vouchers).</item>
/// <item>remaining = finalAmount − paidAmount, never below 0.</item>
/// </list>
/// </summary>
public static class PaymentAmounts
{
    /// <summary>Transaction statuses whose processed amount counts as paid.</summary>
    public static IReadOnlySet<TransactionStatus> MoneyTakenStatuses { get; } = new HashSet<TransactionStatus>
    {
        TransactionStatus.Paid,
        TransactionStatus.Confirmed,
        TransactionStatus.RefundedPartially,
        TransactionStatus.Refunded,
        TransactionStatus.ImpossibleRefund,
    };

    public static AmountsBreakdown Compute(IEnumerable<LineAmounts> lines, IEnumerable<DiscountRule> discounts,
        IEnumerable<TransactionAmounts> transactions)
    {
        var lineFinals = lines.Select(LineFinal).ToArray();
        var total = lineFinals.Aggregate(0L, (sum, line) => checked(sum + line));

        var rules = discounts.ToArray();
        var applied = new long[rules.Length];
        var running = total;
        foreach (var position in Enumerable.Range(0, rules.Length).OrderBy(i => rules[i].Index).ThenBy(i => i))
        {
            var off = Math.Min(running, DiscountOff(rules[position], running));
            applied[position] = off;
            running -= off;
        }

        long paid = 0, paidVoucher = 0;
        foreach (var t in transactions)
        {
            if (t.ProcessedAmount < 0 || t.VoucherAmount < 0) throw new DomainException("Transaction amounts cannot be negative.");
            if (!MoneyTakenStatuses.Contains(t.Status)) continue;
            paid = checked(paid + t.ProcessedAmount);
            paidVoucher = checked(paidVoucher + t.VoucherAmount);
        }

        return new AmountsBreakdown(total, total - running, running, paid, paidVoucher,
            Math.Max(0, running - paid), lineFinals, applied);
    }

    public static long LineFinal(LineAmounts line)
    {
        if (line.Quantity < 0) throw new DomainException("A line quantity cannot be negative.");
        if (line.UnitAmount < 0 || line.UnitDiscountAmount < 0 || line.DiscountAmount < 0)
            throw new DomainException("Line amounts cannot be negative.");
        try
        {
            var gross = checked(line.Quantity * line.UnitAmount);
            var unitDiscounts = checked(line.Quantity * line.UnitDiscountAmount);
            return Math.Max(0, checked(gross - unitDiscounts - line.DiscountAmount));
        }
        catch (OverflowException e)
        {
            throw new DomainException("A line's amounts are too large to add up.", e);
        }
    }

    /// <summary>What a discount would take off the running total, before capping at the running total.</summary>
    private static long DiscountOff(DiscountRule rule, long running)
    {
        rule.Validate();
        if (rule.Amount is { } amount) return amount;
        var value = rule.Value!.Value;
        return rule.Type switch
        {
            DiscountType.DollarOff => (long)value,
            DiscountType.PercentOff => (long)Math.Round(running * value / 100m, 0, MidpointRounding.AwayFromZero),
            DiscountType.Fixed => Math.Max(0, running - (long)value),
            _ => throw new InvalidDiscountException($"Unknown discount type {rule.Type}."),
        };
    }
}
