using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Payments;

/// <summary>
/// Transactions table: searched by card last 4 and gateway id, listed by date with status and
/// gateway filters, and the tracking id is unique so a retried charge can never create a second attempt.
/// </summary>
internal sealed class PaymentTransactionConfiguration : IEntityTypeConfiguration<PaymentTransaction>
{
    public void Configure(EntityTypeBuilder<PaymentTransaction> b)
    {
        b.ToTable("PaymentTransactions");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).HasMaxLength(Ids.MaxLength);
        b.Property(t => t.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(t => t.GatewayId).HasMaxLength(100);
        b.Property(t => t.GatewayName).HasMaxLength(200);
        b.Property(t => t.GatewayPaymentAction).HasConversion<string>().HasMaxLength(20);
        b.Property(t => t.GatewayImageUrl).HasMaxLength(2000);
        b.Property(t => t.GatewayIconUrl).HasMaxLength(2000);
        b.Property(t => t.ExternalId1).HasMaxLength(200);
        b.Property(t => t.ExternalId2).HasMaxLength(200);
        b.Property(t => t.ExternalId3).HasMaxLength(200);
        b.Property(t => t.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(t => t.HolderName).HasMaxLength(200);
        b.Property(t => t.HolderEmail).HasMaxLength(256);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(t => t.CardLast4).HasMaxLength(4);
        b.Property(t => t.TrackingId).HasMaxLength(100);
        b.Property(t => t.CardTokenProtected).HasMaxLength(2000);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.RefundableAmount);
        b.Ignore(t => t.AvailableToRefund);

        b.OwnsOne(t => t.Card, c =>
        {
            c.Property(x => x.Brand).HasColumnName("CardBrand").HasMaxLength(50);
            c.Property(x => x.MaskedPan).HasColumnName("CardMaskedPan").HasMaxLength(19);
            c.Property(x => x.Last4).HasColumnName("CardDetailsLast4").HasMaxLength(4);
            c.Property(x => x.ExpirationMonth).HasColumnName("CardExpirationMonth");
            c.Property(x => x.ExpirationYear).HasColumnName("CardExpirationYear");
            c.Property(x => x.Product).HasColumnName("CardProduct").HasMaxLength(100);
            c.Ignore(x => x.Expiration);
        });
        b.OwnsOne(t => t.DirectDebit, d =>
        {
            d.Property(x => x.AccountId).HasColumnName("DirectDebitAccountId").HasMaxLength(100);
            d.Property(x => x.Bic).HasColumnName("DirectDebitBic").HasMaxLength(11);
            d.Property(x => x.MaskedIban).HasColumnName("DirectDebitMaskedIban").HasMaxLength(34);
        });
        b.OwnsOne(t => t.Error, e =>
        {
            e.Property(x => x.Code).HasColumnName("ErrorCode").HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.ExternalMessage).HasColumnName("ErrorExternalMessage").HasMaxLength(1000);
            e.Property(x => x.ExternalCode).HasColumnName("ErrorExternalCode").HasMaxLength(100);
        });
        b.OwnsOne(t => t.NextAction, n =>
        {
            n.Property(x => x.Action).HasColumnName("NextActionType").HasConversion<string>().HasMaxLength(20);
            n.Property(x => x.ExternalTransactionId).HasColumnName("NextActionExternalTransactionId").HasMaxLength(200);
            n.Property(x => x.Url).HasColumnName("NextActionUrl").HasMaxLength(2000);
        });

        b.HasIndex(t => t.CardLast4);
        b.HasIndex(t => t.ExternalId1);
        // Webhooks find the attempt a callback reports on among their own gateway's attempts.
        // Not unique: gateway ids come from outside (Voucherly passes its gateways' ids through,
        // existing databases may already hold repeats), so a lookup that finds two refuses the event.
        b.HasIndex(t => new { t.GatewayId, t.ExternalId1 });
        b.HasIndex(t => t.TrackingId).IsUnique().HasFilter("\"TrackingId\" IS NOT NULL");
        b.HasIndex(t => new { t.Status, t.CreatedAtUtc });
        b.HasIndex(t => t.CreatedAtUtc);
        b.HasIndex(t => new { t.GatewayId, t.CreatedAtUtc });
        // Transactions list: currency filter and amount sort (SavedViews migration).
        b.HasIndex(t => new { t.Currency, t.CreatedAtUtc });
        b.HasIndex(t => t.RequestedAmount);
        b.HasIndex(t => new { t.GatewayId, t.Status, t.LastPolledAtUtc });
        // Status poller: due attempts of a gateway (per-item backoff) and its claims.
        b.Property(t => t.PollClaim).HasMaxLength(64);
        b.Property(t => t.PollFlagReason).HasMaxLength(500);
        b.HasIndex(t => new { t.GatewayId, t.Status, t.NextPollAtUtc });
        b.HasIndex(t => t.PollClaim).HasFilter("\"PollClaim\" IS NOT NULL");
        // The transactions list's "flagged for a person" filter: few rows, found without scanning the table.
        b.HasIndex(t => t.PollFlaggedAtUtc).HasFilter("\"PollFlaggedAtUtc\" IS NOT NULL");
    }
}
