using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Users;

/// <summary>
/// Identity's sign-in manager, with every sign-in outcome in the audit log: a sign-in (by
/// password, authenticator code or recovery code), a refused one, a lockout and a sign-out, each
/// with the address it came from. A refused sign-in for an email that is no account is recorded
/// too (credential stuffing shows up there); the password is never recorded.
/// </summary>
public sealed class AuditedSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    PortalDbContext db,
    AuditTrail audit)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>The audit actions this manager writes.</summary>
    public static class Actions
    {
        public const string SignedIn = "account.signed-in";
        public const string SignInFailed = "account.sign-in-failed";
        public const string LockedOut = "account.locked-out";
        public const string SignedOut = "account.signed-out";
    }

    /// <summary>The longest typed email kept for a sign-in to no account.</summary>
    private const int MaxUnknownEmailLength = 200;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);

        var typed = userName.Length > MaxUnknownEmailLength ? userName[..MaxUnknownEmailLength] : userName;
        await RecordAsync(new Actor("anonymous", typed, "ui"), Actions.SignInFailed, resourceId: "unknown",
            $"Sign-in refused{From()}: {typed} is not an account.");
        return SignInResult.Failed;
    }

    public override async Task<SignInResult> PasswordSignInAsync(PortalUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // A right password that still needs the second factor is not a sign-in yet: that step records it.
        if (!result.RequiresTwoFactor) await RecordOutcomeAsync(user, result, "with their password");
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null) await RecordOutcomeAsync(user, result, "with an authenticator code");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (user is not null) await RecordOutcomeAsync(user, result, "with a recovery code");
        return result;
    }

    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        await base.SignOutAsync();
        if (principal.Identity?.IsAuthenticated == true && UserManager.GetUserId(principal) is { } id)
            await RecordAsync(new Actor(id, principal.Identity.Name ?? id, "ui"), Actions.SignedOut, id, $"Signed out{From()}.");
    }

    private async Task RecordOutcomeAsync(PortalUser user, SignInResult result, string how)
    {
        var actor = new Actor(user.Id, user.Email ?? user.UserName ?? user.Id, "ui");
        if (result.Succeeded)
        {
            await RecordAsync(actor, Actions.SignedIn, user.Id, $"Signed in {how}{From()}.");
        }
        else if (result.IsLockedOut)
        {
            var until = await UserManager.GetLockoutEndDateAsync(user);
            await RecordAsync(actor, Actions.LockedOut, user.Id, until is { } end
                ? $"Sign-in {how} refused{From()}: the account is locked until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
                : $"Sign-in {how} refused{From()}: the account is locked.");
        }
        else
        {
            var left = UserManager.SupportsUserLockout && await UserManager.GetLockoutEnabledAsync(user)
                ? Options.Lockout.MaxFailedAccessAttempts - await UserManager.GetAccessFailedCountAsync(user)
                : (int?)null;
            var why = result.IsNotAllowed ? "the account may not sign in" : "wrong credentials";
            await RecordAsync(actor, Actions.SignInFailed, user.Id,
                $"Sign-in {how} refused{From()}: {why}{(left is { } n ? $"; {n} attempt(s) left before lockout" : "")}.");
        }
    }

    private async Task RecordAsync(Actor actor, string action, string resourceId, string details)
    {
        // Not the request's token: the sign-in has happened, so its entry is written even if the browser went away.
        audit.Record(db, actor, action, "user", resourceId, details: details);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private string From() => Context.Connection.RemoteIpAddress is { } address ? $" from {address}" : "";
}
