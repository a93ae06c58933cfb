using System.Net.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Users;

/// <summary>
/// Identity's sign-in manager, with the sign-in outcomes of real accounts in the audit log: a
/// sign-in (by password, authenticator code or recovery code), a refused one, the attempt that
/// locks the account, and a sign-out, each with the address it came from. What anyone can cause
/// without an account is only logged, so the append-only audit table cannot be flooded: a sign-in
/// for an email that is no account, and further attempts while an account is already locked. The
/// audit entry is written on a context of its own; if it cannot be written the sign-in still
/// stands and the failure is logged. Passwords are never recorded.
/// </summary>
public sealed class AuditedSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    IDbContextFactory<PortalDbContext> dbFactory,
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

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);

        // Only an address that is an email exactly is logged: a password typed into the email box is not.
        var shown = MailAddress.TryCreate(userName, out var address) && address.Address == userName && userName.Length <= 200 ? userName : "(not an email address)";
        Logger.LogWarning("Sign-in refused for {Email}, which is no account, from {RemoteAddress}", shown, Context.Connection.RemoteIpAddress);
        return SignInResult.Failed;
    }

    public override async Task<SignInResult> PasswordSignInAsync(PortalUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var wasLocked = await IsLockedOut(user);
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // A right password that still needs the second factor is not a sign-in yet: that step records it.
        if (!result.RequiresTwoFactor) await RecordOutcomeAsync(user, result, "with their password", wasLocked, countsTowardsLockout: lockoutOnFailure);
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLocked = user is not null && await IsLockedOut(user);
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null) await RecordOutcomeAsync(user, result, "with an authenticator code", wasLocked, countsTowardsLockout: true);
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLocked = user is not null && await IsLockedOut(user);
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        // Identity does not count a wrong recovery code towards lockout.
        if (user is not null) await RecordOutcomeAsync(user, result, "with a recovery code", wasLocked, countsTowardsLockout: false);
        return result;
    }

    /// <summary>
    /// The cookie check every minute: besides the security stamp, a locked-out account (by an admin
    /// or by failed sign-ins from anywhere) loses its open sessions.
    /// </summary>
    public override async Task<PortalUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        if (user is not null && UserManager.SupportsUserLockout && await UserManager.IsLockedOutAsync(user))
        {
            Logger.LogInformation("Session of {UserId} ended: the account is locked", user.Id);
            return null;
        }
        return user;
    }

    /// <summary>
    /// Signs out on the server too: a new security stamp makes every cookie issued before it (a
    /// copied one included, on any device or instance) fail its next check.
    /// </summary>
    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        if (principal.Identity?.IsAuthenticated == true && await UserManager.GetUserAsync(principal) is { } signingOut)
        {
            var stamped = await UserManager.UpdateSecurityStampAsync(signingOut);
            if (!stamped.Succeeded)
                Logger.LogWarning("Security stamp of {UserId} not renewed at sign-out: {Errors}", signingOut.Id,
                    string.Join("; ", stamped.Errors.Select(e => e.Code)));
        }
        await base.SignOutAsync();
        if (principal.Identity?.IsAuthenticated == true && UserManager.GetUserId(principal) is { } id)
            await RecordAsync(new Actor(id, principal.Identity.Name ?? id, "ui"), Actions.SignedOut, id, $"Signed out{From()}.");
    }

    private async Task RecordOutcomeAsync(PortalUser user, SignInResult result, string how, bool wasLocked, bool countsTowardsLockout)
    {
        var actor = new Actor(user.Id, user.Email ?? user.UserName ?? user.Id, "ui");
        if (result.Succeeded)
        {
            await RecordAsync(actor, Actions.SignedIn, user.Id, $"Signed in {how}{From()}.");
        }
        else if (result.IsLockedOut)
        {
            if (wasLocked)
            {
                // Already recorded when the lockout began; more attempts while locked are only logged.
                Logger.LogWarning("Sign-in {How} for locked account {UserId} refused from {RemoteAddress}", how, user.Id, Context.Connection.RemoteIpAddress);
                return;
            }
            var until = await UserManager.GetLockoutEndDateAsync(user);
            await RecordAsync(actor, Actions.LockedOut, user.Id, until is { } end
                ? $"Sign-in {how} refused{From()}: too many failed attempts; the account is locked until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
                : $"Sign-in {how} refused{From()}: too many failed attempts; the account is locked.");
        }
        else if (result.IsNotAllowed)
        {
            await RecordAsync(actor, Actions.SignInFailed, user.Id, $"Sign-in {how} refused{From()}: the account may not sign in.");
        }
        else
        {
            var left = countsTowardsLockout && UserManager.SupportsUserLockout && await UserManager.GetLockoutEnabledAsync(user)
                ? Options.Lockout.MaxFailedAccessAttempts - await UserManager.GetAccessFailedCountAsync(user)
                : (int?)null;
            await RecordAsync(actor, Actions.SignInFailed, user.Id,
                $"Sign-in {how} refused{From()}: wrong credentials{(left is { } n ? $"; {n} attempt(s) left before lockout" : "")}.");
        }
    }

    private async Task RecordAsync(Actor actor, string action, string resourceId, string details)
    {
        try
        {
            // A context of its own, and not the request's token: the sign-in has happened (or been
            // refused) whatever becomes of the request, and nothing else of Identity's is saved with it.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            audit.Record(db, actor, action, "user", resourceId, details: details);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            Logger.LogError(ex, "Audit entry {Action} for {ActorId} could not be written", action, actor.Id);
        }
    }

    private string From() => Context.Connection.RemoteIpAddress is { } address ? $" from {address}" : "";
}
