using Microsoft.AspNetCore.Identity;

namespace Portal.Persistence;

/// <summary>A person who signs in to the portal.</summary>
public sealed class PortalUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }
}
