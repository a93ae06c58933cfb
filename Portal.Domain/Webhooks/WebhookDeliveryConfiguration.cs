using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Webhooks;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.EventKey).HasMaxLength(300);
        b.Property(d => d.ExternalTransactionId).HasMaxLength(200);
        b.Property(d => d.ReportedStatus).HasMaxLength(50);
        b.Property(d => d.PaymentId).HasMaxLength(100);
        b.Property(d => d.Error).HasMaxLength(2000);
        b.HasIndex(d => new { d.Source, d.EventKey }).IsUnique();
        b.HasIndex(d => d.ReceivedAtUtc);
        b.HasIndex(d => new { d.Status, d.ReceivedAtUtc });
        b.HasIndex(d => d.PaymentId);
        // Webhook retry: due transient failures, and its claims.
        b.Property(d => d.FailureKind).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.RetryClaim).HasMaxLength(64);
        b.HasIndex(d => new { d.Status, d.NextRetryAtUtc });
        b.HasIndex(d => d.RetryClaim).HasFilter("\"RetryClaim\" IS NOT NULL");
    }
}
