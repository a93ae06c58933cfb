using System.Security.Claims;
using Portal.Domain.Audit;

namespace Portal.Components.Shared;

/// <summary>The signed-in person as the audit log's actor.</summary>
public static class CurrentActor
{
    public static Actor From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier)
                 ?? throw new InvalidOperationException("No signed-in user.");
        return Actor.User(id, user.Identity?.Name ?? id);
    }
}
