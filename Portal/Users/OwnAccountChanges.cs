using Microsoft.AspNetCore.Identity;
using Portal.Domain.Audit;
using Portal.Persistence;

namespace Portal.Users;

/// <summary>
/// The changes people make to their own account on the Account/Manage pages (password, two-factor
/// sign-in, recovery codes, phone number), each run in one write transaction with its audit entry,
/// so the change is in the audit log exactly when it happened (a refused change writes nothing).
/// Scoped: it shares the request's <see cref="PortalDbContext"/> with the request's
/// <see cref="UserManager{TUser}"/>, whose store saves through the same context and transaction.
/// Admins' changes to other accounts go through <see cref="UserAdministration"/>.
/// </summary>
public sealed class OwnAccountChanges(PortalDbContext db, AuditTrail audit, ILogger<OwnAccountChanges> logger)
{
    public const string PasswordChanged = "account.password-changed";
    public const string PasswordSet = "account.password-set";
    public const string TwoFactorEnabled = "account.2fa-enabled";
    public const string TwoFactorDisabled = "account.2fa-disabled";
    public const string AuthenticatorReset = "account.authenticator-reset";
    public const string RecoveryCodesGenerated = "account.recovery-codes-generated";
    public const string PhoneChanged = "account.phone-changed";

    /// <summary>Runs an Identity change that answers with an <see cref="IdentityResult"/>; audited when it succeeded.</summary>
    public Task<IdentityResult> RunAsync(PortalUser user, string action, string details, Func<Task<IdentityResult>> change,
        CancellationToken cancellationToken = default) =>
        RunAsync(user, action, details, change, r => r.Succeeded, cancellationToken);

    /// <summary>
    /// Runs <paramref name="change"/> (one or more <see cref="UserManager{TUser}"/> calls for
    /// <paramref name="user"/>) and, when <paramref name="succeeded"/> says so, records
    /// <paramref name="action"/> by the user on their own account; otherwise rolls everything back.
    /// <paramref name="details"/> is a sentence for the audit log and never holds a secret.
    /// </summary>
    public async Task<T> RunAsync<T>(PortalUser user, string action, string details, Func<Task<T>> change, Func<T, bool> succeeded,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(change);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await change();
        if (!succeeded(result))
        {
            logger.LogInformation("Own-account change {Action} by {UserId} refused", action, user.Id);
            return result;
        }

        audit.Record(db, Actor.User(user.Id, user.Email ?? user.UserName ?? user.Id), action, "user", user.Id, details: details);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Own-account change {Action} by {UserId} done", action, user.Id);
        return result;
    }
}
