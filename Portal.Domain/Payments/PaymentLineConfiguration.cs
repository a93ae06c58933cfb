using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Payments;

internal sealed class PaymentLineConfiguration : IEntityTypeConfiguration<PaymentLine>
{
    public void Configure(EntityTypeBuilder<PaymentLine> b)
    {
        b.ToTable("PaymentLines");
        b.HasKey(l => l.Id);
        b.Property(l => l.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(l => l.ProductId).HasMaxLength(100);
        b.Property(l => l.ProductName).HasMaxLength(300);
        b.Property(l => l.ProductVariant).HasMaxLength(300);
        b.Property(l => l.ProductImage).HasMaxLength(2000);
        b.Property(l => l.ProductExternalId1).HasMaxLength(100);
        b.Property(l => l.ProductExternalId2).HasMaxLength(100);
        b.Property(l => l.TaxRate).HasPrecision(9, 4);
    }
}
