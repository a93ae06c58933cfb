namespace Portal.Domain.Security;

/// <summary>The portal's roles. A person may hold several.</summary>
public static class Roles
{
    public const string Staff = "Staff";
    public const string Admin = "Admin";
    public const string Finance = "Finance";

    public static IReadOnlyList<string> All { get; } = [Staff, Admin, Finance];

    /// <summary>Comma-separated list for <c>[Authorize(Roles = ...)]</c>: anyone who may read payments.</summary>
    public const string AnyStaff = Staff + "," + Admin + "," + Finance;
}
