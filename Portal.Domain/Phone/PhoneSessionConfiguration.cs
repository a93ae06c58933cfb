using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Phone;

internal sealed class PhoneSessionConfiguration : IEntityTypeConfiguration<PhoneSession>
{
    public void Configure(EntityTypeBuilder<PhoneSession> b)
    {
        b.ToTable("PhoneSessions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).HasMaxLength(40);
        b.Property(s => s.PaymentId).HasMaxLength(40);
        b.Property(s => s.MerchantReference).HasMaxLength(60);
        b.Property(s => s.SessionGuid).HasMaxLength(100);
        b.Property(s => s.ProviderSessionGuid).HasMaxLength(100);
        b.Property(s => s.IframeUrl).HasMaxLength(2000);
        b.Property(s => s.AgentId).HasMaxLength(256);
        b.Property(s => s.Currency).HasMaxLength(3);
        b.Property(s => s.CallerName).HasMaxLength(200);
        b.Property(s => s.CallerEmail).HasMaxLength(256);
        b.Property(s => s.CreatedById).HasMaxLength(200);
        b.Property(s => s.CreatedByName).HasMaxLength(256);
        b.HasIndex(s => s.MerchantReference).IsUnique();
        b.HasIndex(s => s.PaymentId);
        b.HasIndex(s => new { s.CreatedById, s.CreatedAtUtc });
    }
}
