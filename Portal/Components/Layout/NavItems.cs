using System.Security.Claims;
using MudBlazor;
using Portal.Domain.Security;

namespace Portal.Components.Layout;

/// <summary>
/// The navigation menu. Each item names the roles that may open it (empty = any signed-in
/// user); the pages enforce the same roles on the server with <c>[Authorize(Roles = ...)]</c>.
/// </summary>
/// <param name="Icon">A MudBlazor icon (SVG path data, e.g. <c>Icons.Material.Outlined.Payments</c>).</param>
public sealed record NavItem(string Title, string Icon, string Path, params string[] Roles)
{
    public bool IsVisibleTo(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (Roles.Length == 0 || Roles.Any(user.IsInRole));
}

public static class NavItems
{
    public static IReadOnlyList<NavItem> All { get; } =
    [
        new("Dashboard", Icons.Material.Outlined.Dashboard, "/"),
        new("Payments", Icons.Material.Outlined.Payments, "/payments"),
        new("Transactions", Icons.Material.Outlined.ReceiptLong, "/transactions"),
        new("Phone payment", Icons.Material.Outlined.Call, "/phone-payments", Domain.Security.Roles.Staff, Domain.Security.Roles.Admin),
        new("Refunds", Icons.Material.Outlined.Undo, "/refunds", Domain.Security.Roles.Admin, Domain.Security.Roles.Finance),
        new("Recurring", Icons.Material.Outlined.EventRepeat, "/recurring", Domain.Security.Roles.Finance, Domain.Security.Roles.Admin),
        new("Jobs", Icons.Material.Outlined.Schedule, "/jobs", Domain.Security.Roles.Admin, Domain.Security.Roles.Finance),
        new("Webhooks", Icons.Material.Outlined.Webhook, "/webhooks", Domain.Security.Roles.Admin),
        new("Audit", Icons.Material.Outlined.History, "/audit", Domain.Security.Roles.Admin),
        new("Users", Icons.Material.Outlined.Group, "/users", Domain.Security.Roles.Admin),
    ];
}
