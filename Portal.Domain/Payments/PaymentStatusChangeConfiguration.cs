using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Payments;

/// <summary>
/// TransactionId is a plain indexed column, not a foreign key: rows already cascade from the
/// payment, and a second cascade path through transactions would be refused by server
/// databases the design may move to.
/// </summary>
internal sealed class PaymentStatusChangeConfiguration : IEntityTypeConfiguration<PaymentStatusChange>
{
    public void Configure(EntityTypeBuilder<PaymentStatusChange> b)
    {
        b.ToTable("PaymentStatusChanges");
        b.HasKey(c => c.Id);
        b.Property(c => c.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(c => c.TransactionId).HasMaxLength(Ids.MaxLength);
        b.Property(c => c.FromStatus).HasMaxLength(30);
        b.Property(c => c.ToStatus).HasMaxLength(30);
        b.Property(c => c.Source).HasMaxLength(100);
        b.Property(c => c.Note).HasMaxLength(500);
        b.HasIndex(c => new { c.PaymentId, c.AtUtc });
        b.HasIndex(c => c.TransactionId);
        b.HasIndex(c => new { c.Applied, c.AtUtc });
        // Dashboard: today's refunds are the changes to Refunded / RefundedPartially in a time range.
        b.HasIndex(c => new { c.ToStatus, c.AtUtc });
    }
}
