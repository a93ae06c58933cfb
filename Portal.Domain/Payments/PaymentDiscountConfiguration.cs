using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Payments;

internal sealed class PaymentDiscountConfiguration : IEntityTypeConfiguration<PaymentDiscount>
{
    public void Configure(EntityTypeBuilder<PaymentDiscount> b)
    {
        b.ToTable("PaymentDiscounts");
        b.HasKey(d => d.Id);
        b.Property(d => d.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(d => d.Name).HasMaxLength(300);
        b.Property(d => d.Description).HasMaxLength(2000);
        b.Property(d => d.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Value).HasPrecision(20, 4);
    }
}
