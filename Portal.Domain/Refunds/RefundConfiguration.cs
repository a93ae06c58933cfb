using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Payments;

namespace Portal.Domain.Refunds;

/// <summary>
/// Refunds table: the idempotency key is unique (a replay finds the first refund instead of
/// making a second), listed by date/status/admin on the Refunds page, and found by gateway
/// refund id when the gateway's notification arrives.
/// </summary>
internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.ToTable("Refunds");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).HasMaxLength(Ids.MaxLength);
        b.Property(r => r.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(r => r.TransactionId).HasMaxLength(Ids.MaxLength);
        b.Property(r => r.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(r => r.Reason).HasConversion<string>().HasMaxLength(30);
        b.Property(r => r.Note).HasMaxLength(Refund.MaxNoteLength);
        b.Property(r => r.IdempotencyKey).HasMaxLength(Refund.MaxKeyLength);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(r => r.GatewayId).HasMaxLength(100);
        b.Property(r => r.GatewayRefundId).HasMaxLength(200);
        b.Property(r => r.GatewayMessage).HasMaxLength(1000);
        b.Property(r => r.RequestedByUserId).HasMaxLength(450);
        b.Property(r => r.RequestedByName).HasMaxLength(256);
        b.Property(r => r.CheckClaim).HasMaxLength(64);
        b.Property(r => r.FlagReason).HasMaxLength(500);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.Money);
        b.Ignore(r => r.IsOpen);

        b.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PaymentTransaction>().WithMany().HasForeignKey(r => r.TransactionId).OnDelete(DeleteBehavior.Restrict);

        b.HasIndex(r => r.IdempotencyKey).IsUnique();
        b.HasIndex(r => r.PaymentId);
        b.HasIndex(r => new { r.TransactionId, r.CreatedAtUtc });
        b.HasIndex(r => r.CreatedAtUtc);
        b.HasIndex(r => new { r.Status, r.CreatedAtUtc });
        b.HasIndex(r => new { r.RequestedByUserId, r.CreatedAtUtc });
        b.HasIndex(r => r.GatewayRefundId);
        b.HasIndex(r => new { r.Status, r.NextCheckAtUtc });
        b.HasIndex(r => r.CheckClaim).HasFilter("\"CheckClaim\" IS NOT NULL");
    }
}
