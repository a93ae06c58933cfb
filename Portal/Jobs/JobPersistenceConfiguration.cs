using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Jobs;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("JobRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.JobName).HasMaxLength(100);
        b.Property(r => r.Trigger).HasMaxLength(300);
        b.Property(r => r.InstanceId).HasMaxLength(100);
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Message).HasMaxLength(2000);
        b.Property(r => r.Error).HasMaxLength(4000);
        b.HasIndex(r => new { r.JobName, r.StartedAtUtc });
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.ToTable("JobLeases");
        b.HasKey(l => l.JobName);
        b.Property(l => l.JobName).HasMaxLength(100);
        b.Property(l => l.Owner).HasMaxLength(100);
    }
}

internal sealed class JobPauseConfiguration : IEntityTypeConfiguration<JobPause>
{
    public void Configure(EntityTypeBuilder<JobPause> b)
    {
        b.ToTable("JobPauses");
        b.HasKey(p => p.JobName);
        b.Property(p => p.JobName).HasMaxLength(100);
        b.Property(p => p.PausedBy).HasMaxLength(256);
    }
}
