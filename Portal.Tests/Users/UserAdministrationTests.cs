using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Users;

/// <summary>The user-administration rules, against the real app services on a fresh SQLite database.</summary>
public sealed class UserAdministrationTests : IDisposable
{
    private const string StrongPassword = "Str0ng-Passw0rd!";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly PortalAppFactory _app = new();
    private readonly FixedClock _clock = new(Now);

    public UserAdministrationTests()
    {
        _app.ConfigureTestServices = services => services.AddSingleton<TimeProvider>(_clock);
    }

    private UserAdministration Admin => _app.Service<UserAdministration>();

    [Fact]
    public async Task CreateAsync_ValidInput_CreatesUserWithRolesAndAuditEntry()
    {
        var actor = await DemoAdminAsync();

        var result = await Admin.CreateAsync(actor, new NewUser(" ann@shop.test ", "Ann Agent", [Roles.Finance, Roles.Staff], StrongPassword));

        Assert.True(result.Succeeded, result.ErrorSummary);
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync("ann@shop.test");
        Assert.NotNull(user);
        Assert.Equal(result.UserId, user.Id);
        Assert.Equal("Ann Agent", user.DisplayName);
        Assert.Equal(Now.UtcDateTime, user.CreatedAtUtc);
        Assert.True(await users.CheckPasswordAsync(user, StrongPassword));
        Assert.Equal([Roles.Finance, Roles.Staff], (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal));

        var entry = await SingleAuditAsync("user.created", user.Id);
        Assert.Equal(actor.Id, entry.ActorId);
        Assert.Equal(PortalAppFactory.AdminEmail, entry.ActorName);
        Assert.Equal("ui", entry.Origin);
        Assert.Equal(Now.UtcDateTime, entry.OccurredAtUtc);
        Assert.Equal([Roles.Staff, Roles.Finance], RolesIn(entry.After));
        Assert.DoesNotContain(StrongPassword, entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WeakPassword_ReturnsIdentityMessagesAndWritesNothing()
    {
        var actor = await DemoAdminAsync();
        var auditBefore = await AuditCountAsync();

        var result = await Admin.CreateAsync(actor, new NewUser("weak@shop.test", "Weak", [Roles.Staff], "password"));

        Assert.False(result.Succeeded);
        var passwordErrors = result.ErrorsFor(UserAdminFields.Password).ToList();
        Assert.Contains(passwordErrors, m => m.Contains("at least 12 characters", StringComparison.Ordinal));
        Assert.Contains(passwordErrors, m => m.Contains("uppercase", StringComparison.Ordinal));
        Assert.Null(await FindAsync("weak@shop.test"));
        Assert.Equal(auditBefore, await AuditCountAsync());
    }

    [Fact]
    public async Task CreateAsync_BadInput_ReturnsAnErrorPerFieldAndWritesNothing()
    {
        var actor = await DemoAdminAsync();

        var result = await Admin.CreateAsync(actor, new NewUser("not-an-email", " ", ["Root"], ""));

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.ErrorsFor(UserAdminFields.Email));
        Assert.NotEmpty(result.ErrorsFor(UserAdminFields.DisplayName));
        Assert.Contains("'Root' is not a portal role.", result.ErrorsFor(UserAdminFields.Roles));
        Assert.NotEmpty(result.ErrorsFor(UserAdminFields.Password));
        Assert.Null(await FindAsync("not-an-email"));
    }

    [Fact]
    public async Task CreateAsync_NoRole_IsRefused()
    {
        var result = await Admin.CreateAsync(await DemoAdminAsync(), new NewUser("norole@shop.test", "No Role", [], StrongPassword));

        Assert.False(result.Succeeded);
        Assert.Contains("Choose at least one role.", result.ErrorsFor(UserAdminFields.Roles));
        Assert.Null(await FindAsync("norole@shop.test"));
    }

    [Fact]
    public async Task CreateAsync_DuplicateEmail_ReturnsEmailErrorAndKeepsOneUser()
    {
        var actor = await DemoAdminAsync();
        Assert.True((await Admin.CreateAsync(actor, new NewUser("dup@shop.test", "First", [Roles.Staff], StrongPassword))).Succeeded);

        var result = await Admin.CreateAsync(actor, new NewUser("DUP@shop.test", "Second", [Roles.Admin], StrongPassword));

        Assert.False(result.Succeeded);
        Assert.Contains(result.ErrorsFor(UserAdminFields.Email), m => m.Contains("already taken", StringComparison.Ordinal));
        await using var db = _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == "DUP@SHOP.TEST"));
    }

    [Fact]
    public async Task CreateAsync_ActorIsNotAnAdmin_IsRefused()
    {
        var admin = await DemoAdminAsync();
        var staffId = await CreateAsync(admin, "staff@shop.test", Roles.Staff);

        var result = await Admin.CreateAsync(Actor.User(staffId, "staff@shop.test"),
            new NewUser("sneaky@shop.test", "Sneaky", [Roles.Admin], StrongPassword));

        Assert.False(result.Succeeded);
        Assert.Contains("Only an admin", result.ErrorSummary, StringComparison.Ordinal);
        Assert.Null(await FindAsync("sneaky@shop.test"));
    }

    [Fact]
    public async Task ChangeRolesAsync_OtherUser_ChangesRolesAndAuditsBeforeAndAfter()
    {
        var actor = await DemoAdminAsync();
        var id = await CreateAsync(actor, "bob@shop.test", Roles.Staff);

        var result = await Admin.ChangeRolesAsync(actor, id, [Roles.Finance, Roles.Admin]);

        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Equal([Roles.Admin, Roles.Finance], await RolesOfAsync(id));
        var entry = await SingleAuditAsync("user.roles-changed", id);
        Assert.Equal([Roles.Staff], RolesIn(entry.Before));
        Assert.Equal([Roles.Admin, Roles.Finance], RolesIn(entry.After));
        Assert.Equal(actor.Id, entry.ActorId);
    }

    [Fact]
    public async Task ChangeRolesAsync_LastAdminDropsAdmin_IsRefusedAndNothingChanges()
    {
        var actor = await DemoAdminAsync();

        var result = await Admin.ChangeRolesAsync(actor, actor.Id, [Roles.Staff]);

        Assert.False(result.Succeeded);
        Assert.Contains("last admin", result.ErrorSummary, StringComparison.Ordinal);
        Assert.Equal(Roles.All.Order(StringComparer.Ordinal), await RolesOfAsync(actor.Id));
        Assert.Empty(await AuditAsync("user.roles-changed"));
    }

    [Fact]
    public async Task ChangeRolesAsync_LastUnlockedAdmin_IsRefusedEvenWhenALockedAdminExists()
    {
        var actor = await DemoAdminAsync();
        var otherId = await CreateAsync(actor, "other-admin@shop.test", Roles.Admin);
        Assert.True((await Admin.LockAsync(actor, otherId)).Succeeded);

        var result = await Admin.ChangeRolesAsync(actor, actor.Id, [Roles.Staff]);

        Assert.False(result.Succeeded);
        Assert.Contains("last admin who can sign in", result.ErrorSummary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeRolesAsync_OwnAdminRoleWhileAnotherAdminExists_IsRefused()
    {
        var actor = await DemoAdminAsync();
        await CreateAsync(actor, "second-admin@shop.test", Roles.Admin);

        var result = await Admin.ChangeRolesAsync(actor, actor.Id, [Roles.Staff, Roles.Finance]);

        Assert.False(result.Succeeded);
        Assert.Contains("You cannot remove your own Admin role", result.ErrorSummary, StringComparison.Ordinal);
        Assert.Contains(Roles.Admin, await RolesOfAsync(actor.Id));
    }

    [Fact]
    public async Task ChangeRolesAsync_AdminDemotedByAnother_CanNoLongerDemoteAnyone()
    {
        var first = await DemoAdminAsync();
        var secondId = await CreateAsync(first, "second@shop.test", Roles.Admin);
        var second = Actor.User(secondId, "second@shop.test");

        Assert.True((await Admin.ChangeRolesAsync(first, secondId, [Roles.Staff])).Succeeded);
        var result = await Admin.ChangeRolesAsync(second, first.Id, [Roles.Staff]);

        Assert.False(result.Succeeded);
        Assert.Contains(Roles.Admin, await RolesOfAsync(first.Id));
    }

    [Fact]
    public async Task LockAsync_Self_IsRefused()
    {
        var actor = await DemoAdminAsync();

        var result = await Admin.LockAsync(actor, actor.Id);

        Assert.False(result.Succeeded);
        Assert.Contains("You cannot lock yourself out", result.ErrorSummary, StringComparison.Ordinal);
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(actor.Id))!));
    }

    [Fact]
    public async Task LockAndUnlock_OtherUser_BlocksThenAllowsSignInAndAuditsBoth()
    {
        var actor = await DemoAdminAsync();
        var id = await CreateAsync(actor, "carol@shop.test", Roles.Staff);

        Assert.True((await Admin.LockAsync(actor, id)).Succeeded);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
            var user = (await signIn.UserManager.FindByIdAsync(id))!;
            Assert.True(await signIn.UserManager.IsLockedOutAsync(user));
            Assert.True((await signIn.CheckPasswordSignInAsync(user, StrongPassword, lockoutOnFailure: false)).IsLockedOut);
        }

        Assert.True((await Admin.UnlockAsync(actor, id)).Succeeded);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
            var user = (await signIn.UserManager.FindByIdAsync(id))!;
            Assert.True((await signIn.CheckPasswordSignInAsync(user, StrongPassword, lockoutOnFailure: false)).Succeeded);
        }
        Assert.Single(await AuditAsync("user.locked"));
        Assert.Single(await AuditAsync("user.unlocked"));
    }

    [Fact]
    public async Task ResetPasswordAsync_WeakPassword_IsRefusedAndOldPasswordStillWorks()
    {
        var actor = await DemoAdminAsync();
        var id = await CreateAsync(actor, "dave@shop.test", Roles.Staff);

        var result = await Admin.ResetPasswordAsync(actor, id, "short");

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.ErrorsFor(UserAdminFields.Password));
        Assert.True(await PasswordWorksAsync(id, StrongPassword));
        Assert.Empty(await AuditAsync("user.password-reset"));
    }

    [Fact]
    public async Task ResetPasswordAsync_StrongPassword_ReplacesPasswordAndAuditsWithoutIt()
    {
        var actor = await DemoAdminAsync();
        var id = await CreateAsync(actor, "erin@shop.test", Roles.Staff);

        var result = await Admin.ResetPasswordAsync(actor, id, "An0ther-Str0ng-One");

        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.True(await PasswordWorksAsync(id, "An0ther-Str0ng-One"));
        Assert.False(await PasswordWorksAsync(id, StrongPassword));
        var entry = await SingleAuditAsync("user.password-reset", id);
        Assert.DoesNotContain("An0ther", (entry.Before ?? "") + entry.After + entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_SearchAndPaging_AreDoneByTheDatabase()
    {
        var actor = await DemoAdminAsync();
        for (var i = 0; i < 5; i++)
            await CreateAsync(actor, $"agent{i}@shop.test", Roles.Staff, displayName: $"Agent {i}");
        await CreateAsync(actor, "boss@shop.test", Roles.Finance, displayName: "The 100% Boss");
        var queries = _app.Service<UserQueries>();

        var agents = await queries.ListAsync(new UserListRequest("AGENT", Skip: 2, Take: 2, UserSort.Email, Descending: true));
        var percent = await queries.ListAsync(new UserListRequest("100%", 0, 10));
        var all = await queries.ListAsync(new UserListRequest(null, 0, 100, UserSort.Created));

        Assert.Equal(5, agents.Total);
        Assert.Equal(["agent2@shop.test", "agent1@shop.test"], agents.Rows.Select(r => r.Email));
        Assert.Equal([Roles.Staff], agents.Rows[0].Roles);
        Assert.Equal("boss@shop.test", Assert.Single(percent.Rows).Email);
        Assert.Equal(7, all.Total);
        Assert.Equal(Roles.All, all.Rows.Single(r => r.Email == PortalAppFactory.AdminEmail).Roles);
    }

    [Fact]
    public async Task ListAsync_LockedUser_ShowsLockoutEnd()
    {
        var actor = await DemoAdminAsync();
        var id = await CreateAsync(actor, "frank@shop.test", Roles.Staff);
        await Admin.LockAsync(actor, id);

        var row = (await _app.Service<UserQueries>().ListAsync(new UserListRequest("frank", 0, 10))).Rows.Single();

        Assert.True(row.IsLockedOut(Now));
        Assert.True(row.IsLockedIndefinitely);
    }

    private async Task<Actor> DemoAdminAsync()
    {
        var user = await FindAsync(PortalAppFactory.AdminEmail);
        Assert.NotNull(user);
        return Actor.User(user.Id, PortalAppFactory.AdminEmail);
    }

    private async Task<string> CreateAsync(Actor actor, string email, string role, string? displayName = null)
    {
        var result = await Admin.CreateAsync(actor, new NewUser(email, displayName ?? email, [role], StrongPassword));
        Assert.True(result.Succeeded, result.ErrorSummary);
        return result.UserId!;
    }

    private async Task<PortalUser?> FindAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
    }

    private async Task<List<string>> RolesOfAsync(string userId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.GetRolesAsync((await users.FindByIdAsync(userId))!)).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<bool> PasswordWorksAsync(string userId, string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password);
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        return await db.Set<AuditEntry>().CountAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        return await db.Set<AuditEntry>().Where(e => e.Action == action).ToListAsync();
    }

    private async Task<AuditEntry> SingleAuditAsync(string action, string userId)
    {
        var entry = Assert.Single(await AuditAsync(action), e => e.ResourceId == userId);
        Assert.Equal("user", entry.ResourceType);
        return entry;
    }

    private static List<string> RolesIn(string? json)
    {
        Assert.NotNull(json);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("roles").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    public void Dispose() => _app.Dispose();
}
