using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Money;

namespace Portal.Domain.Payments;

/// <summary>
/// Payments table. Indexes serve a list of a million payments with server-side sort, filter
/// and search: each filter column is paired with CreatedAtUtc (the default sort) so a filtered,
/// date-ordered page is a range scan.
/// </summary>
internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.ToTable("Payments");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).HasMaxLength(Ids.MaxLength);
        b.Property(p => p.Tenant).HasConversion<string>().HasMaxLength(10);
        b.Property(p => p.Mode).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(p => p.ReferenceId).HasMaxLength(200);
        b.Property(p => p.ParentPaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(p => p.CompanyId).HasMaxLength(100);
        b.Property(p => p.CustomerEmailNormalized).HasMaxLength(256);
        b.Property(p => p.CustomerName).HasMaxLength(200);
        b.Property(p => p.SelectedGatewayId).HasMaxLength(100);
        b.Property(p => p.CheckoutUrl).HasMaxLength(2000);
        b.Property(p => p.CallUuid).HasMaxLength(100);
        b.Property(p => p.AgentName).HasMaxLength(200);
        b.Property(p => p.ProjectId).HasMaxLength(100);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.Metadata)
            .HasConversion(m => m.ToJson(), json => PaymentMetadata.FromStoredJson(json),
                new ValueComparer<PaymentMetadata>((x, y) => x!.Equals(y), m => m.GetHashCode(), m => m))
            .HasColumnName("Metadata");
        b.Ignore(p => p.Final);
        b.Ignore(p => p.Remaining);

        b.OwnsOne(p => p.Customer, c =>
        {
            c.Property(x => x.Id).HasColumnName("CustomerId").HasMaxLength(100);
            c.Property(x => x.Email).HasColumnName("CustomerEmail").HasMaxLength(256);
            c.Property(x => x.FirstName).HasColumnName("CustomerFirstName").HasMaxLength(100);
            c.Property(x => x.LastName).HasColumnName("CustomerLastName").HasMaxLength(100);
            c.Property(x => x.PhoneNumber).HasColumnName("CustomerPhoneNumber").HasMaxLength(50);
            c.Property(x => x.PaymentMethodId).HasColumnName("CustomerPaymentMethodId").HasMaxLength(100);
            c.Ignore(x => x.NormalizedEmail);
            c.Ignore(x => x.FullName);
        });
        b.Navigation(p => p.Customer).IsRequired();
        b.OwnsOne(p => p.CloseCheckout, c =>
        {
            c.Property(x => x.Success).HasColumnName("CloseCheckoutSuccess");
            c.Property(x => x.AtUtc).HasColumnName("CloseCheckoutAtUtc");
        });
        b.OwnsOne(p => p.Callback, c =>
        {
            c.Property(x => x.Success).HasColumnName("CallbackSuccess");
            c.Property(x => x.AtUtc).HasColumnName("CallbackAtUtc");
        });

        b.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Discounts).WithOne().HasForeignKey(d => d.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Transactions).WithOne(t => t.Payment).HasForeignKey(t => t.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.StatusChanges).WithOne().HasForeignKey(c => c.PaymentId).OnDelete(DeleteBehavior.Cascade);
        // Collections are private lists exposed read-only; EF reads and writes the fields.
        b.Navigation(p => p.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(p => p.Discounts).HasField("_discounts").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(p => p.Transactions).HasField("_transactions").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(p => p.StatusChanges).HasField("_statusChanges").UsePropertyAccessMode(PropertyAccessMode.Field);

        // (CreatedAtUtc, Id) and (FinalAmount, Id) match the lists' orders exactly, ties included, so a
        // deep page skips index entries without reading rows (SavedViews migration).
        b.HasIndex(p => new { p.CreatedAtUtc, p.Id });
        b.HasIndex(p => new { p.Status, p.CreatedAtUtc });
        b.HasIndex(p => new { p.Source, p.Status }); // the Voucherly sync's open payments
        b.HasIndex(p => p.ReferenceId);
        b.HasIndex(p => p.CustomerEmailNormalized);
        b.HasIndex(p => p.CallUuid);
        b.HasIndex(p => new { p.TotalsMismatch, p.CreatedAtUtc });
        b.HasIndex(p => new { p.Currency, p.CreatedAtUtc });
        b.HasIndex(p => new { p.SelectedGatewayId, p.CreatedAtUtc });
        b.HasIndex(p => new { p.Mode, p.CreatedAtUtc });
        b.HasIndex(p => new { p.InCall, p.CreatedAtUtc });
        b.HasIndex(p => new { p.FinalAmount, p.Id });
        // Payments list: sort by customer, search by name prefix, tenant filter, amount range per currency (SavedViews migration).
        b.HasIndex(p => new { p.CustomerName, p.Id });
        b.HasIndex(p => new { p.Tenant, p.CreatedAtUtc });
        b.HasIndex(p => new { p.Currency, p.FinalAmount });
        // Dashboard: payments per day by status and currency with the collected sum, read from the index alone.
        b.HasIndex(p => new { p.CreatedAtUtc, p.Status, p.Currency, p.PaidAmount });
    }
}

/// <summary>Currency is stored as its ISO code; reading an unknown code fails loudly rather than guessing an exponent.</summary>
internal static class CurrencyConversion
{
    public static readonly System.Linq.Expressions.Expression<Func<Currency, string>> ToCode = c => c.Code;
    public static readonly System.Linq.Expressions.Expression<Func<string, Currency>> FromCode = code => Currency.Parse(code);
}
