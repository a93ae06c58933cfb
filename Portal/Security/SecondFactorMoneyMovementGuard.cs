using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;

namespace Portal.Security;

/// <summary>
/// Admin and Finance accounts move money only with two-factor sign-in on and an authenticator key
/// set up (Identity then asks for the TOTP code at every sign-in). Read fresh from the database on
/// each call, so turning 2FA off stops refunds at once. Jobs and webhooks pass: they are not people.
/// Off when <c>Security:RequireMfaForMoneyMovers</c> is false (by default only in Development); in
/// Development the configured first admin may be exempt.
/// </summary>
public sealed class SecondFactorMoneyMovementGuard(
    IServiceScopeFactory scopes,
    IOptionsMonitor<SecurityOptions> security,
    IOptions<PortalOptions> portal,
    IHostEnvironment environment,
    ILogger<SecondFactorMoneyMovementGuard> logger) : IMoneyMovementGuard
{
    public const string SetupPath = "/Account/Manage/EnableAuthenticator";

    public async Task<MoneyMovementRefusal?> CheckAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!security.CurrentValue.MfaRequired(environment.IsDevelopment())) return null;
        if (actor.Origin is not ("ui" or "api")) return null; // a job or webhook, not a person

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(actor.Id);
        if (user is null)
            return new MoneyMovementRefusal("Your account no longer exists.", SetupPath);
        var roles = await users.GetRolesAsync(user);
        if (!roles.Any(r => r is Roles.Admin or Roles.Finance)) return null; // their role check refuses them anyway

        if (environment.IsDevelopment() && security.CurrentValue.ExemptDemoAdminInDevelopment
            && !string.IsNullOrEmpty(portal.Value.Admin.Email)
            && string.Equals(user.Email, portal.Value.Admin.Email, StringComparison.OrdinalIgnoreCase))
            return null;

        if (await users.GetTwoFactorEnabledAsync(user) && !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
            return null;

        logger.LogWarning("Money movement by {ActorId} refused: no authenticator app set up", actor.Id);
        return new MoneyMovementRefusal(
            "Moving money needs two-factor sign-in: set up an authenticator app on your account (Your account → Two-factor authentication), then try again.",
            SetupPath);
    }
}
