using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Payments;

namespace Portal.Payments;

/// <summary>
/// How many payments are in one status, kept by SQLite triggers on <c>Payments</c> (insert, delete,
/// status update) in the same transaction as the change, so it is never stale: whatever writes
/// the row (EF, a bulk insert, an ExecuteUpdate) moves the count with it. Lets an unfiltered or
/// status-only list answer its total without counting hundreds of thousands of index entries.
/// </summary>
public sealed class PaymentStatusCount
{
    private PaymentStatusCount() { }

    public PaymentStatus Status { get; private set; }

    public long Count { get; private set; }
}

/// <summary>The same as <see cref="PaymentStatusCount"/> for gateway attempts (<c>PaymentTransactions</c>).</summary>
public sealed class TransactionStatusCount
{
    private TransactionStatusCount() { }

    public TransactionStatus Status { get; private set; }

    public long Count { get; private set; }
}

/// <summary>Totals of the lists from the maintained counts.</summary>
internal static class StatusCounts
{
    /// <summary>Rows in the given statuses (all rows when none is given).</summary>
    public static async Task<int> PaymentsAsync(DbContext db, IReadOnlyList<PaymentStatus> statuses, CancellationToken cancellationToken)
    {
        var counts = db.Set<PaymentStatusCount>().AsNoTracking();
        if (statuses.Count > 0) counts = counts.Where(c => statuses.Contains(c.Status));
        return checked((int)await counts.SumAsync(c => c.Count, cancellationToken));
    }

    /// <inheritdoc cref="PaymentsAsync"/>
    public static async Task<int> TransactionsAsync(DbContext db, IReadOnlyList<TransactionStatus> statuses, CancellationToken cancellationToken)
    {
        var counts = db.Set<TransactionStatusCount>().AsNoTracking();
        if (statuses.Count > 0) counts = counts.Where(c => statuses.Contains(c.Status));
        return checked((int)await counts.SumAsync(c => c.Count, cancellationToken));
    }
}

internal sealed class PaymentStatusCountConfiguration : IEntityTypeConfiguration<PaymentStatusCount>
{
    public void Configure(EntityTypeBuilder<PaymentStatusCount> b)
    {
        b.ToTable("PaymentStatusCounts");
        b.HasKey(c => c.Status);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class TransactionStatusCountConfiguration : IEntityTypeConfiguration<TransactionStatusCount>
{
    public void Configure(EntityTypeBuilder<TransactionStatusCount> b)
    {
        b.ToTable("TransactionStatusCounts");
        b.HasKey(c => c.Status);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(30);
    }
}
