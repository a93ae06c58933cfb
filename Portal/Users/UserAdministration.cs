using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;

namespace Portal.Users;

/// <summary>
/// Every change an admin makes to user accounts: create, change roles, lock, unlock, reset a
/// password. Each request runs in its own scope (fresh <see cref="UserManager{TUser}"/> and
/// context) inside one write transaction together with its audit entry, so a refused or failed
/// request leaves nothing behind. The rules live here, not in the page:
/// only an admin may act; nobody removes their own Admin role or locks themselves out; the
/// portal always keeps at least one admin who can sign in.
/// </summary>
public sealed class UserAdministration(
    IServiceScopeFactory scopes,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<UserAdministration> logger)
{
    public const int MaxDisplayNameLength = 200;

    public Task<UserAdminResult> CreateAsync(Actor actor, NewUser input, CancellationToken cancellationToken = default) =>
        RunAsync(actor, async work =>
        {
            var email = input.Email?.Trim() ?? "";
            var displayName = input.DisplayName?.Trim() ?? "";
            var errors = new List<UserAdminError>();
            if (email.Length == 0)
                errors.Add(new(UserAdminFields.Email, "Enter the user's email."));
            else if (!new EmailAddressAttribute().IsValid(email))
                errors.Add(new(UserAdminFields.Email, $"'{email}' is not a valid email address."));
            if (displayName.Length == 0)
                errors.Add(new(UserAdminFields.DisplayName, "Enter a display name."));
            else if (displayName.Length > MaxDisplayNameLength)
                errors.Add(new(UserAdminFields.DisplayName, $"The display name is longer than {MaxDisplayNameLength} characters."));
            errors.AddRange(CheckRoles(input.Roles));
            if (string.IsNullOrEmpty(input.Password))
                errors.Add(new(UserAdminFields.Password, "Enter an initial password."));
            if (errors.Count > 0)
                return UserAdminResult.Fail(errors);

            var user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = displayName,
                LockoutEnabled = true,
                CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            };
            var created = await work.Users.CreateAsync(user, input.Password);
            if (!created.Succeeded)
                return Fail(created);
            var roles = Normalize(input.Roles);
            var added = await work.Users.AddToRolesAsync(user, roles);
            if (!added.Succeeded)
                return Fail(added);

            audit.Record(work.Db, actor, "user.created", "user", user.Id,
                after: new { user.Email, user.DisplayName, Roles = roles }, details: user.Email);
            return UserAdminResult.Ok(user.Id);
        }, cancellationToken);

    public Task<UserAdminResult> ChangeRolesAsync(Actor actor, string userId, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken = default) =>
        RunAsync(actor, async work =>
        {
            var roleErrors = CheckRoles(roles).ToList();
            if (roleErrors.Count > 0)
                return UserAdminResult.Fail(roleErrors);
            var user = await work.Users.FindByIdAsync(userId);
            if (user is null)
                return NotFound();

            var before = Normalize(await work.Users.GetRolesAsync(user));
            var after = Normalize(roles);
            if (before.SequenceEqual(after))
                return UserAdminResult.Ok(user.Id);

            if (before.Contains(Roles.Admin) && !after.Contains(Roles.Admin))
            {
                if (await CountUsableAdminsAsync(work, exceptUserId: user.Id) == 0)
                    return UserAdminResult.Fail(UserAdminFields.Roles,
                        $"{user.Email} is the last admin who can sign in: the portal must keep at least one. Make someone else an admin first.");
                if (user.Id == actor.Id)
                    return UserAdminResult.Fail(UserAdminFields.Roles,
                        "You cannot remove your own Admin role. Ask another admin to do it.");
            }

            var removed = await work.Users.RemoveFromRolesAsync(user, before.Except(after));
            if (!removed.Succeeded)
                return Fail(removed);
            var added = await work.Users.AddToRolesAsync(user, after.Except(before));
            if (!added.Succeeded)
                return Fail(added);

            audit.Record(work.Db, actor, "user.roles-changed", "user", user.Id,
                before: new { Roles = before }, after: new { Roles = after }, details: user.Email);
            return UserAdminResult.Ok(user.Id);
        }, cancellationToken);

    /// <summary>Locks the account until an admin unlocks it, and ends its sessions at their next check.</summary>
    public Task<UserAdminResult> LockAsync(Actor actor, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(actor, async work =>
        {
            var user = await work.Users.FindByIdAsync(userId);
            if (user is null)
                return NotFound();
            if (user.Id == actor.Id)
                return UserAdminResult.Fail(UserAdminFields.General, "You cannot lock yourself out.");
            if (await work.Users.IsInRoleAsync(user, Roles.Admin) && await CountUsableAdminsAsync(work, exceptUserId: user.Id) == 0)
                return UserAdminResult.Fail(UserAdminFields.General,
                    $"{user.Email} is the last admin who can sign in: the portal must keep at least one.");

            var before = user.LockoutEnd;
            if (!user.LockoutEnabled)
            {
                var enabled = await work.Users.SetLockoutEnabledAsync(user, true);
                if (!enabled.Succeeded)
                    return Fail(enabled);
            }
            var locked = await work.Users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            if (!locked.Succeeded)
                return Fail(locked);
            // A new security stamp makes the revalidating state provider end the user's open sessions.
            var stamped = await work.Users.UpdateSecurityStampAsync(user);
            if (!stamped.Succeeded)
                return Fail(stamped);

            audit.Record(work.Db, actor, "user.locked", "user", user.Id,
                before: new { LockedOutUntil = before }, after: new { LockedOutUntil = "until unlocked" }, details: user.Email);
            return UserAdminResult.Ok(user.Id);
        }, cancellationToken);

    /// <summary>Ends a lock set by an admin or by too many failed sign-ins, and clears the failed-attempt count.</summary>
    public Task<UserAdminResult> UnlockAsync(Actor actor, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(actor, async work =>
        {
            var user = await work.Users.FindByIdAsync(userId);
            if (user is null)
                return NotFound();

            var before = user.LockoutEnd;
            var unlocked = await work.Users.SetLockoutEndDateAsync(user, null);
            if (!unlocked.Succeeded)
                return Fail(unlocked);
            var reset = await work.Users.ResetAccessFailedCountAsync(user);
            if (!reset.Succeeded)
                return Fail(reset);

            audit.Record(work.Db, actor, "user.unlocked", "user", user.Id,
                before: new { LockedOutUntil = before }, after: new { LockedOutUntil = (DateTimeOffset?)null }, details: user.Email);
            return UserAdminResult.Ok(user.Id);
        }, cancellationToken);

    /// <summary>Sets a new password chosen by the admin (Identity's password rules apply); the user's sessions end.</summary>
    public Task<UserAdminResult> ResetPasswordAsync(Actor actor, string userId, string newPassword,
        CancellationToken cancellationToken = default) =>
        RunAsync(actor, async work =>
        {
            if (string.IsNullOrEmpty(newPassword))
                return UserAdminResult.Fail(UserAdminFields.Password, "Enter the new password.");
            var user = await work.Users.FindByIdAsync(userId);
            if (user is null)
                return NotFound();

            var token = await work.Users.GeneratePasswordResetTokenAsync(user);
            var reset = await work.Users.ResetPasswordAsync(user, token, newPassword);
            if (!reset.Succeeded)
                return Fail(reset);

            // The password itself never goes into the log.
            audit.Record(work.Db, actor, "user.password-reset", "user", user.Id, details: user.Email);
            return UserAdminResult.Ok(user.Id);
        }, cancellationToken);

    private async Task<UserAdminResult> RunAsync(Actor actor, Func<Work, Task<UserAdminResult>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var work = new Work(
            scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(),
            scope.ServiceProvider.GetRequiredService<PortalDbContext>());

        // SQLite: a non-deferred transaction is BEGIN IMMEDIATE, so two admins' requests run one
        // after the other and the "at least one admin" count cannot be raced.
        await using var transaction = await work.Db.Database.BeginTransactionAsync(cancellationToken);
        if (!await IsUsableAdminAsync(work, actor.Id))
        {
            logger.LogWarning("User administration refused for {ActorId}: not an active admin", actor.Id);
            return UserAdminResult.Fail(UserAdminFields.General, "Only an admin can manage users, and your account is no longer one.");
        }

        UserAdminResult result;
        try
        {
            result = await body(work);
            if (!result.Succeeded)
                return result;
            await work.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return UserAdminResult.Fail(UserAdminFields.General, "Someone else changed this user at the same moment. Reload and try again.");
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User administration by {ActorId} on {UserId} succeeded", actor.Id, result.UserId);
        return result;
    }

    private async Task<bool> IsUsableAdminAsync(Work work, string userId)
    {
        var user = await work.Users.FindByIdAsync(userId);
        return user is not null && !IsLockedOut(user) && await work.Users.IsInRoleAsync(user, Roles.Admin);
    }

    /// <summary>Admins other than <paramref name="exceptUserId"/> who are not locked out.</summary>
    private async Task<int> CountUsableAdminsAsync(Work work, string exceptUserId)
    {
        var admins = await work.Users.GetUsersInRoleAsync(Roles.Admin);
        return admins.Count(a => a.Id != exceptUserId && !IsLockedOut(a));
    }

    private bool IsLockedOut(PortalUser user) => user.LockoutEnd is { } end && end > clock.GetUtcNow();

    private static IEnumerable<UserAdminError> CheckRoles(IReadOnlyCollection<string>? roles)
    {
        if (roles is null || roles.Count == 0)
        {
            yield return new(UserAdminFields.Roles, "Choose at least one role.");
            yield break;
        }
        foreach (var unknown in roles.Where(r => !Roles.All.Contains(r)).Distinct(StringComparer.Ordinal))
            yield return new(UserAdminFields.Roles, $"'{unknown}' is not a portal role.");
    }

    /// <summary>Roles in the portal's canonical order and spelling, without duplicates.</summary>
    private static List<string> Normalize(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Roles.All.Where(set.Contains).ToList();
    }

    private static UserAdminResult NotFound() =>
        UserAdminResult.Fail(UserAdminFields.General, "That user no longer exists. Reload the list.");

    private static UserAdminResult Fail(IdentityResult result) =>
        UserAdminResult.Fail(result.Errors.Select(e => new UserAdminError(FieldOf(e.Code), e.Description)));

    private static string FieldOf(string code) => code switch
    {
        _ when code.StartsWith("Password", StringComparison.Ordinal) => UserAdminFields.Password,
        "DuplicateEmail" or "InvalidEmail" or "DuplicateUserName" or "InvalidUserName" => UserAdminFields.Email,
        _ when code.Contains("Role", StringComparison.Ordinal) => UserAdminFields.Roles,
        _ => UserAdminFields.General,
    };

    private sealed record Work(UserManager<PortalUser> Users, PortalDbContext Db);
}
