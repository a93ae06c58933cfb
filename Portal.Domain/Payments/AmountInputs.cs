namespace Portal.Domain.Payments;

/// <summary>The amount fields of a line, in minor units, as the calculator needs them.</summary>
public readonly record struct LineAmounts(long Quantity, long UnitAmount, long UnitDiscountAmount = 0, long DiscountAmount = 0);

/// <summary>
/// A discount as the calculator needs it. The spec's rule: <see cref="Amount"/> is required
/// when <see cref="Type"/> and <see cref="Value"/> are both null; <see cref="Value"/> is
/// required when a type is given without an amount. An explicit amount wins over type and value.
/// </summary>
/// <param name="Value">DOLLAROFF and FIXED: minor units (a whole number); PERCENOFF: a percentage 0-100, fractions allowed.</param>
/// <param name="Index">Application order: lower first; equal indexes keep the order they were given in.</param>
public readonly record struct DiscountRule(long? Amount, DiscountType? Type, decimal? Value, int Index)
{
    /// <exception cref="InvalidDiscountException">The combination of amount, type and value is not one the spec allows.</exception>
    public void Validate()
    {
        if (Amount is < 0) throw new InvalidDiscountException("A discount amount cannot be negative.");
        if (Type is null && Value is null && Amount is null)
            throw new InvalidDiscountException("A discount needs an amount when it has neither a type nor a value.");
        if (Type is not null && Amount is null && Value is null)
            throw new InvalidDiscountException($"A {DiscountTypes.ToWire(Type.Value)} discount needs a value when it has no amount.");
        if (Type is null && Value is not null && Amount is null)
            throw new InvalidDiscountException("A discount value means nothing without a discount type.");
        if (Amount is not null || Value is not { } value) return;
        if (Type == DiscountType.PercentOff)
        {
            if (value is < 0 or > 100) throw new InvalidDiscountException("A PERCENOFF discount value must be between 0 and 100.");
        }
        else if (value < 0 || value != decimal.Truncate(value) || value > long.MaxValue)
        {
            throw new InvalidDiscountException($"A {DiscountTypes.ToWire(Type!.Value)} discount value must be a whole, non-negative number of minor units.");
        }
    }
}

/// <summary>The amount fields of a transaction that count towards what was paid.</summary>
public readonly record struct TransactionAmounts(TransactionStatus Status, long ProcessedAmount, long VoucherAmount = 0);

/// <summary>The calculator's result. Per-line and per-discount lists follow the order of the inputs given.</summary>
public sealed record AmountsBreakdown(
    long TotalAmount,
    long DiscountAmount,
    long FinalAmount,
    long PaidAmount,
    long PaidVoucherAmount,
    long RemainingAmount,
    IReadOnlyList<long> LineFinalAmounts,
    IReadOnlyList<long> DiscountAppliedAmounts);
