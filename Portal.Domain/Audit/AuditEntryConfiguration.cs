using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Domain.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasKey(e => e.Id);
        b.Property(e => e.ActorId).HasMaxLength(200);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.Origin).HasMaxLength(100);
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.ResourceType).HasMaxLength(100);
        b.Property(e => e.ResourceId).HasMaxLength(200);
        b.Property(e => e.PaymentId).HasMaxLength(100);
        b.Property(e => e.Currency).HasMaxLength(3);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        // One entry per chain position: two writers that somehow read the same head cannot both append.
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => e.OccurredAtUtc);
        b.HasIndex(e => new { e.PaymentId, e.OccurredAtUtc });
        b.HasIndex(e => new { e.ActorId, e.OccurredAtUtc });
        // The action filter (newest first) and the action dropdown's DISTINCT read this index, not the table.
        b.HasIndex(e => new { e.Action, e.OccurredAtUtc });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> b)
    {
        b.ToTable("AuditChainHead");
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.LastHash).HasMaxLength(64);
    }
}
