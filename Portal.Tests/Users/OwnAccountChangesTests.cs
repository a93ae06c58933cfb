using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Users;

/// <summary>
/// A person's changes to their own account are audited exactly when they happen: in the same
/// transaction, never for a refused change, and rolled back with the change when it fails midway.
/// Against the real app services (request-scoped UserManager and context) on a fresh SQLite file.
/// </summary>
public sealed class OwnAccountChangesTests : IDisposable
{
    private const string Password = "Own-Acc0unt-Passw0rd!";
    private const string NewPassword = "New-Own-Acc0unt-Passw0rd!";

    private readonly PortalAppFactory _app = new();

    [Fact]
    public async Task ChangePassword_RightCurrentPassword_ChangesItAndAuditsTheUserAsActor()
    {
        var user = await CreateStaffAsync();

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (users, changes) = Resolve(scope);
            var me = (await users.FindByIdAsync(user.Id))!;
            var result = await changes.RunAsync(me, OwnAccountChanges.PasswordChanged, "Changed their own password.",
                () => users.ChangePasswordAsync(me, Password, NewPassword));
            Assert.True(result.Succeeded);
        }

        Assert.True(await PasswordWorksAsync(user.Id, NewPassword));
        var entry = Assert.Single(await AuditOfAsync(user.Id));
        Assert.Equal(OwnAccountChanges.PasswordChanged, entry.Action);
        Assert.Equal(user.Id, entry.ActorId);
        Assert.Equal(user.Email, entry.ActorName);
        Assert.Equal("ui", entry.Origin);
        Assert.Equal("user", entry.ResourceType);
        Assert.DoesNotContain(NewPassword, entry.Details ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(Password, entry.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_IsRefusedAndWritesNoAuditEntry()
    {
        var user = await CreateStaffAsync();

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (users, changes) = Resolve(scope);
            var me = (await users.FindByIdAsync(user.Id))!;
            var result = await changes.RunAsync(me, OwnAccountChanges.PasswordChanged, "Changed their own password.",
                () => users.ChangePasswordAsync(me, "Not-The-Passw0rd!", NewPassword));
            Assert.False(result.Succeeded);
        }

        Assert.True(await PasswordWorksAsync(user.Id, Password));
        Assert.Empty(await AuditOfAsync(user.Id));
    }

    [Fact]
    public async Task EnableTwoFactor_FailureAfterTheFirstWrite_RollsTheWholeChangeBack()
    {
        var user = await CreateStaffAsync();

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (users, changes) = Resolve(scope);
            var me = (await users.FindByIdAsync(user.Id))!;
            await Assert.ThrowsAsync<InvalidOperationException>(() => changes.RunAsync(me, OwnAccountChanges.TwoFactorEnabled, "Turned on.",
                async () =>
                {
                    var enabled = await users.SetTwoFactorEnabledAsync(me, true);
                    Assert.True(enabled.Succeeded);
                    throw new InvalidOperationException("the process died here");
                }));
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.False(await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(user.Id))!));
        }
        Assert.Empty(await AuditOfAsync(user.Id));
    }

    [Fact]
    public async Task RecoveryCodes_Generated_AuditedWithoutTheCodes()
    {
        var user = await CreateStaffAsync();
        IEnumerable<string>? codes;

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (users, changes) = Resolve(scope);
            var me = (await users.FindByIdAsync(user.Id))!;
            codes = await changes.RunAsync(me, OwnAccountChanges.RecoveryCodesGenerated, "Generated new two-factor recovery codes.",
                () => users.GenerateNewTwoFactorRecoveryCodesAsync(me, 10), c => c is not null);
        }

        Assert.NotNull(codes);
        var entry = Assert.Single(await AuditOfAsync(user.Id));
        Assert.Equal(OwnAccountChanges.RecoveryCodesGenerated, entry.Action);
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, entry.Details ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(code, entry.After ?? "", StringComparison.Ordinal);
        }
    }

    private static (UserManager<PortalUser> Users, OwnAccountChanges Changes) Resolve(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), scope.ServiceProvider.GetRequiredService<OwnAccountChanges>());

    private Task<PortalUser> CreateStaffAsync() => TestUsers.CreateUniqueAsync(_app.Services, "own", Password, Roles.Staff);

    private async Task<bool> PasswordWorksAsync(string userId, string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password);
    }

    private async Task<List<AuditEntry>> AuditOfAsync(string userId)
    {
        await using var db = _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        return await db.Set<AuditEntry>().Where(e => e.ResourceId == userId).ToListAsync();
    }

    public void Dispose() => _app.Dispose();
}
