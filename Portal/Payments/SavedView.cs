using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain;
using Portal.Persistence;

namespace Portal.Payments;

/// <summary>A user's named list view: the query string of a list page, kept under a name. Private to its user.</summary>
public sealed class SavedView
{
    public const int MaxNameLength = 60;
    public const int MaxQueryLength = 2000;

    private SavedView() { }

    internal SavedView(string userId, string list, string name, string queryString, DateTime atUtc)
    {
        UserId = userId;
        List = list;
        Name = ValidName(name);
        QueryString = ValidQuery(queryString);
        CreatedAtUtc = UpdatedAtUtc = atUtc;
    }

    public long Id { get; private set; }

    public string UserId { get; private set; } = "";

    /// <summary>Which list the view belongs to: <see cref="SavedViewLists.Payments"/> or <see cref="SavedViewLists.Transactions"/>.</summary>
    public string List { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>Without the leading "?".</summary>
    public string QueryString { get; private set; } = "";

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    internal static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new DomainException("A saved view needs a name.");
        if (trimmed.Length > MaxNameLength) throw new DomainException($"A saved view's name can have at most {MaxNameLength} characters.");
        return trimmed;
    }

    internal static string ValidQuery(string? query)
    {
        var value = (query ?? "").TrimStart('?');
        if (value.Length > MaxQueryLength) throw new DomainException("This view has too many filters to save.");
        return value;
    }
}

public static class SavedViewLists
{
    public const string Payments = "payments";
    public const string Transactions = "transactions";
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.ToTable("SavedViews");
        b.HasKey(v => v.Id);
        b.Property(v => v.UserId).HasMaxLength(450);
        b.Property(v => v.List).HasMaxLength(20);
        b.Property(v => v.Name).HasMaxLength(SavedView.MaxNameLength);
        b.Property(v => v.QueryString).HasMaxLength(SavedView.MaxQueryLength);
        b.HasIndex(v => new { v.UserId, v.List, v.Name }).IsUnique();
        b.HasOne<PortalUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
