using System.Security.Claims;
using Portal.Components.Shared;
using Portal.Domain.Recurring;
using Portal.Domain.Security;

namespace Portal.Recurring;

/// <summary>The signed-in person as a <see cref="RecurringUser"/>: their audit actor and roles, for the domain service to decide.</summary>
public static class RecurringUsers
{
    public static RecurringUser From(ClaimsPrincipal principal, string origin = "ui")
    {
        ArgumentNullException.ThrowIfNull(principal);
        var actor = CurrentActor.From(principal) with { Origin = origin };
        return new RecurringUser(actor, Roles.All.Where(principal.IsInRole).ToArray());
    }

    /// <summary>Whether the page shows write buttons (the service checks again).</summary>
    public static bool MayWrite(ClaimsPrincipal principal) => principal.Identity?.IsAuthenticated == true && principal.IsInRole(Roles.Finance);

    /// <summary>Who may open <c>/recurring</c>.</summary>
    public const string ReadRoles = Roles.Finance + "," + Roles.Admin;
}
