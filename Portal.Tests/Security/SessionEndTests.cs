using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Components.Account;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Security;
using Portal.Tests.Browser;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Security;

/// <summary>
/// Sessions end on the server: sign-out revokes the cookie (copies included), a locked or
/// role-changed account loses access within a minute, 15 minutes without a request end a
/// session, and a live page's revalidation applies the same rules. A fake clock moves time.
/// </summary>
public sealed class SessionEndTests : IDisposable
{
    private const string Password = "Session-Test-Passw0rd!";
    private readonly SecurityApp _app = new();

    public void Dispose() => _app.Dispose();

    private static bool IsSignInRedirect(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.Redirect && (r.Headers.Location?.OriginalString ?? "").Contains("/Account/Login", StringComparison.Ordinal);

    private async Task<(PortalUser User, CookieSession Session)> SignedInAdminAsync()
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "sess", Password, Roles.Admin);
        var session = CookieSession.New(_app);
        var signIn = await session.SignInAsync(user.Email!, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(session.HasAuthCookie);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/refunds")).StatusCode);
        return (user, session);
    }

    [Fact]
    public async Task SignOut_CookieCopiedBeforeIt_IsRefusedAfterIt()
    {
        var (_, session) = await SignedInAdminAsync();
        using var stolen = session.Copy(_app);
        Assert.Equal(HttpStatusCode.OK, (await stolen.GetAsync("/refunds")).StatusCode);

        var signOut = await session.SignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.True(IsSignInRedirect(await stolen.GetAsync("/refunds")));
        Assert.True(IsSignInRedirect(await stolen.GetAsync("/payments")));
        session.Dispose();
    }

    [Fact]
    public async Task SignOut_RenewsTheSecurityStamp_OtherCookiesOfTheAccountFailTheirNextCheck()
    {
        var (user, first) = await SignedInAdminAsync();
        using var second = CookieSession.New(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await second.SignInAsync(user.Email!, Password)).StatusCode);
        var stampBefore = await StampAsync(user.Id);

        await first.SignOutAsync();
        Assert.NotEqual(stampBefore, await StampAsync(user.Id));
        // The other sign-in's session was not signed out itself: its cookie fails the stamp check, due within a minute.
        _app.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.True(IsSignInRedirect(await second.GetAsync("/refunds")));
        first.Dispose();
    }

    [Fact]
    public async Task LockedOutByFailedSignIns_EarlierCookie_NoLongerOpensRefunds()
    {
        var (user, session) = await SignedInAdminAsync();
        var tries = _app.Service<IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        using (var attacker = CookieSession.New(_app))
            for (var i = 0; i < tries; i++)
                await attacker.SignInAsync(user.Email!, "Wrong-Password-123!");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
        }

        _app.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.True(IsSignInRedirect(await session.GetAsync("/refunds")));
        session.Dispose();
    }

    [Fact]
    public async Task LockedByAnAdmin_EarlierCookie_RefusedWithinAMinute()
    {
        var (user, session) = await SignedInAdminAsync();
        var locked = await _app.Service<UserAdministration>().LockAsync(await BrowserUsers.AdminActorAsync(_app.Services), user.Id);
        Assert.True(locked.Succeeded, locked.ErrorSummary);

        _app.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.True(IsSignInRedirect(await session.GetAsync("/refunds")));
        session.Dispose();
    }

    [Fact]
    public async Task RoleRemoved_EarlierCookie_LosesThePageWithinAMinute()
    {
        var (user, session) = await SignedInAdminAsync();
        var changed = await _app.Service<UserAdministration>().ChangeRolesAsync(await BrowserUsers.AdminActorAsync(_app.Services), user.Id, [Roles.Staff]);
        Assert.True(changed.Succeeded, changed.ErrorSummary);

        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        var response = await session.GetAsync("/refunds");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        // Still signed in, now as Staff: pages for everyone open.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/payments")).StatusCode);
        session.Dispose();
    }

    [Fact]
    public async Task Idle_FifteenMinutesWithoutARequest_SessionRefused()
    {
        var (_, session) = await SignedInAdminAsync();

        _app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(5));

        Assert.True(IsSignInRedirect(await session.GetAsync("/refunds")));
        session.Dispose();
    }

    [Fact]
    public async Task Active_RequestsEveryFewMinutes_SessionOutlivesTheIdleTimeout()
    {
        var (_, session) = await SignedInAdminAsync();

        for (var i = 0; i < 4; i++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/refunds")).StatusCode);
        }
        // 40 minutes in, still signed in; then 15 idle minutes end it.
        _app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(5));
        Assert.True(IsSignInRedirect(await session.GetAsync("/refunds")));
        session.Dispose();
    }

    [Fact]
    public async Task KeepAlive_RenewsTheSession_AndReportsTheTimeLeft()
    {
        var (_, session) = await SignedInAdminAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(14));

        var ping = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, SecurityServiceCollectionExtensions.KeepAlivePath));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Contains("\"remainingSeconds\":900", await ping.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/refunds")).StatusCode);
        session.Dispose();
    }

    [Fact]
    public async Task LivePage_Revalidation_EndsForIdleLockedRoleChangedAndSignedOutSessions()
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "live", Password, Roles.Admin);
        var sessions = _app.Service<SessionActivity>();
        var provider = new IdentityRevalidatingAuthenticationStateProvider(NullLoggerFactory.Instance, _app.Service<IServiceScopeFactory>(),
            _app.Service<IOptions<IdentityOptions>>(), _app.Service<IOptions<SecurityOptions>>(), sessions);

        async Task<ClaimsPrincipal> PrincipalAsync()
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>().CreateUserPrincipalAsync((await users.FindByIdAsync(user.Id))!);
            var sid = Guid.NewGuid().ToString("N");
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionActivity.ClaimType, sid));
            sessions.Extend(sid, _app.Clock.GetUtcNow() + TimeSpan.FromMinutes(15));
            return principal;
        }

        var fresh = await PrincipalAsync();
        Assert.True(await provider.IsStillValidAsync(fresh));

        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.False(await provider.IsStillValidAsync(fresh));

        var signedOut = await PrincipalAsync();
        sessions.End(SessionActivity.SessionId(signedOut)!);
        Assert.False(await provider.IsStillValidAsync(signedOut));

        var beforeRoleChange = await PrincipalAsync();
        await _app.Service<UserAdministration>().ChangeRolesAsync(await BrowserUsers.AdminActorAsync(_app.Services), user.Id, [Roles.Admin, Roles.Finance]);
        Assert.False(await provider.IsStillValidAsync(beforeRoleChange));
        Assert.True(await provider.IsStillValidAsync(await PrincipalAsync()));

        var beforeLock = await PrincipalAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            // Locked by failed sign-ins: no new security stamp, still refused.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(user.Id))!, DateTimeOffset.UtcNow.AddMinutes(30));
        }
        Assert.False(await provider.IsStillValidAsync(beforeLock));
    }

    [Fact]
    public void Defaults_IdleFifteenMinutesRevalidationAMinuteLockoutFiveTriesThirtyMinutes()
    {
        var security = _app.Service<IOptions<SecurityOptions>>().Value;
        var identity = _app.Service<IOptions<IdentityOptions>>().Value;
        var stamp = _app.Service<IOptions<SecurityStampValidatorOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(15), security.Sessions.IdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), stamp.ValidationInterval);
        Assert.Equal(5, identity.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(30), identity.Lockout.DefaultLockoutTimeSpan);
    }

    private async Task<string?> StampAsync(string userId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.GetSecurityStampAsync((await users.FindByIdAsync(userId))!);
    }
}
