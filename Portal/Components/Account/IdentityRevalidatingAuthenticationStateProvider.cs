using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Persistence;
using Portal.Security;

namespace Portal.Components.Account;

/// <summary>
/// A live page (Blazor circuit) makes no HTTP requests, so the cookie checks never see it: this
/// provider checks the signed-in person again every <c>Security:Sessions:RevalidationSeconds</c>
/// (a minute at most) and signs the page out when the account is gone, locked, signed out
/// elsewhere (new security stamp), its roles changed, or the session went idle or was signed out.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IOptions<SecurityOptions> security,
        SessionActivity sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => security.Value.Sessions.Revalidation;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await IsStillValidAsync(authenticationState.User);

    /// <summary>What one revalidation decides (public to the tests, which cannot wait for the timer).</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        if (SessionActivity.SessionId(principal) is not { } sid || sessions.Remaining(sid) == TimeSpan.Zero)
            return false;

        // A new scope so the user manager reads fresh data.
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
            return false;
        if (userManager.SupportsUserSecurityStamp)
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            if (principalStamp != await userManager.GetSecurityStampAsync(user))
                return false;
        }
        if (userManager.SupportsUserLockout && await userManager.IsLockedOutAsync(user))
            return false;
        // Roles are in the page's principal from when it opened: a change (either way) ends it, and
        // the reload picks up a cookie refreshed with the new roles.
        var roleClaim = options.Value.ClaimsIdentity.RoleClaimType;
        var held = principal.FindAll(roleClaim).Select(c => c.Value).Order(StringComparer.Ordinal);
        var current = (await userManager.GetRolesAsync(user)).Order(StringComparer.Ordinal);
        return held.SequenceEqual(current, StringComparer.Ordinal);
    }
}
