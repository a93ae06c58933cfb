using System.Security.Claims;
using Portal.Domain.Security;

namespace Portal.Components.Layout;

/// <summary>
/// The navigation menu. Each item names the roles that may open it (empty = any signed-in
/// user); the pages enforce the same roles on the server with <c>[Authorize(Roles = ...)]</c>.
/// </summary>
public sealed record NavItem(string Title, string Icon, string Path, params string[] Roles)
{
    public bool IsVisibleTo(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (Roles.Length == 0 || Roles.Any(user.IsInRole));
}

public static class NavItems
{
    public static IReadOnlyList<NavItem> All { get; } =
    [
        new("Dashboard", "dashboard", "/"),
        new("Payments", "payments", "/payments"),
        new("Transactions", "receipt_long", "/transactions"),
        new("Phone payment", "call", "/phone-payments", Domain.Security.Roles.Staff, Domain.Security.Roles.Admin),
        new("Refunds", "undo", "/refunds", Domain.Security.Roles.Admin, Domain.Security.Roles.Finance),
        new("Jobs", "schedule", "/jobs", Domain.Security.Roles.Admin, Domain.Security.Roles.Finance),
        new("Webhooks", "webhook", "/webhooks", Domain.Security.Roles.Admin),
        new("Audit", "history", "/audit", Domain.Security.Roles.Admin),
        new("Users", "group", "/users", Domain.Security.Roles.Admin),
    ];
}
