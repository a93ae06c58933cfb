using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <summary>One row per Voucherly payment; deleted with its payment. Voucherly's id is unique, so a payment is never imported twice.</summary>
internal sealed class VoucherlySyncStateConfiguration : IEntityTypeConfiguration<VoucherlySyncState>
{
    public void Configure(EntityTypeBuilder<VoucherlySyncState> b)
    {
        b.ToTable("VoucherlySyncStates");
        b.HasKey(s => s.PaymentId);
        b.Property(s => s.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(s => s.VoucherlyPaymentId).HasMaxLength(200);
        b.Property(s => s.LastOutcome).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.LastError).HasMaxLength(VoucherlySyncState.MaxErrorLength);
        b.HasOne<Payment>().WithOne().HasForeignKey<VoucherlySyncState>(s => s.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.VoucherlyPaymentId).IsUnique();
        b.HasIndex(s => s.LastSyncedAtUtc);
        // The settled-payment queue: due ones in due order, read straight off the index.
        b.HasIndex(s => new { s.RecheckDueAtUtc, s.PaymentId });
    }
}
