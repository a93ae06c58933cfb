using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Payments;

namespace Portal.Domain.Recurring;

/// <summary>
/// RecurringSchedules: listed by status and next charge (the list and the runner's claim both
/// seek <c>(Status, NextChargeAtUtc)</c> / <c>NextChargeAtUtc</c>), found by claim token after a claim,
/// by create key for a double submit.
/// </summary>
internal sealed class RecurringScheduleConfiguration : IEntityTypeConfiguration<RecurringSchedule>
{
    public void Configure(EntityTypeBuilder<RecurringSchedule> b)
    {
        b.ToTable("RecurringSchedules");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).HasMaxLength(Ids.MaxLength);
        b.Property(s => s.SourcePaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(s => s.SourceTransactionId).HasMaxLength(Ids.MaxLength);
        b.Property(s => s.GatewayId).HasMaxLength(100);
        b.Property(s => s.CardTokenProtected).HasMaxLength(2000);
        b.Property(s => s.CardBrand).HasMaxLength(50);
        b.Property(s => s.CardLast4).HasMaxLength(4);
        b.Property(s => s.CustomerEmail).HasMaxLength(320);
        b.Property(s => s.CustomerName).HasMaxLength(200);
        b.Property(s => s.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(s => s.Description).HasMaxLength(RecurringSchedule.MaxDescriptionLength);
        b.Property(s => s.IntervalUnit).HasConversion<string>().HasMaxLength(10);
        b.Property(s => s.EndKind).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.StatusReason).HasMaxLength(1000);
        b.Property(s => s.OpenAttemptKey).HasMaxLength(RecurringCycleAttempt.MaxKeyLength);
        b.Property(s => s.ClaimToken).HasMaxLength(64);
        b.Property(s => s.CreateKey).HasMaxLength(100);
        b.Property(s => s.CreatedByUserId).HasMaxLength(450);
        b.Property(s => s.CreatedByName).HasMaxLength(256);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Ignore(s => s.Amount);
        b.Ignore(s => s.IsFinal);

        b.HasOne<Payment>().WithMany().HasForeignKey(s => s.SourcePaymentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PaymentTransaction>().WithMany().HasForeignKey(s => s.SourceTransactionId).OnDelete(DeleteBehavior.Restrict);

        b.HasIndex(s => s.NextChargeAtUtc);
        b.HasIndex(s => new { s.Status, s.NextChargeAtUtc });
        b.HasIndex(s => s.ClaimToken);
        b.HasIndex(s => s.CreateKey).IsUnique();
        b.HasIndex(s => s.SourcePaymentId);
        b.HasIndex(s => s.CreatedAtUtc);
    }
}

internal sealed class RecurringCycleConfiguration : IEntityTypeConfiguration<RecurringCycle>
{
    public void Configure(EntityTypeBuilder<RecurringCycle> b)
    {
        b.ToTable("RecurringCycles");
        b.HasKey(c => c.Id);
        b.Property(c => c.ScheduleId).HasMaxLength(Ids.MaxLength);
        b.Property(c => c.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(c => c.PaymentId).HasMaxLength(Ids.MaxLength);
        b.Property(c => c.TransactionId).HasMaxLength(Ids.MaxLength);
        b.Property(c => c.GatewayTransactionId).HasMaxLength(200);
        b.Property(c => c.GatewayMessage).HasMaxLength(1000);
        b.Property(c => c.GatewayCode).HasMaxLength(100);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.Amount);
        b.Ignore(c => c.IsOpen);

        b.HasOne<RecurringSchedule>().WithMany().HasForeignKey(c => c.ScheduleId).OnDelete(DeleteBehavior.Restrict);
        // One row per calendar occurrence: the database refuses a second cycle with the same number.
        b.HasIndex(c => new { c.ScheduleId, c.Number }).IsUnique();
        b.HasIndex(c => c.PaymentId);
    }
}

internal sealed class RecurringCycleAttemptConfiguration : IEntityTypeConfiguration<RecurringCycleAttempt>
{
    public void Configure(EntityTypeBuilder<RecurringCycleAttempt> b)
    {
        b.ToTable("RecurringCycleAttempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.ScheduleId).HasMaxLength(Ids.MaxLength);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(a => a.IdempotencyKey).HasMaxLength(RecurringCycleAttempt.MaxKeyLength);
        b.Property(a => a.Currency).HasConversion(CurrencyConversion.ToCode, CurrencyConversion.FromCode).HasMaxLength(3);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(a => a.GatewayTransactionId).HasMaxLength(200);
        b.Property(a => a.GatewayMessage).HasMaxLength(1000);
        b.Property(a => a.GatewayCode).HasMaxLength(100);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Ignore(a => a.IsOpen);

        b.HasOne<RecurringCycle>().WithMany().HasForeignKey(a => a.CycleId).OnDelete(DeleteBehavior.Restrict);
        // The key sent as tracking_id exists once.
        b.HasIndex(a => a.IdempotencyKey).IsUnique();
        b.HasIndex(a => new { a.CycleId, a.Number }).IsUnique();
        b.HasIndex(a => a.ScheduleId);
    }
}
