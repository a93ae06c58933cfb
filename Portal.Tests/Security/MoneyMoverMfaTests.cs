using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>Admin and Finance need an authenticator app before they can refund (and charge), enforced by the domain service.</summary>
public sealed class MoneyMoverMfaTests : IDisposable
{
    private const string Password = "Mfa-Test-Passw0rd!";
    private readonly SecurityApp _app = new();

    public MoneyMoverMfaTests()
    {
        _app.Settings["Security:RequireMfaForMoneyMovers"] = "true";
    }

    public void Dispose() => _app.Dispose();

    private static object Body(string key) => new
    {
        paymentId = "pay-missing", transactionId = "tx-missing", amount = 100, currency = "EUR", reason = "duplicate", idempotencyKey = key,
    };

    [Fact]
    public async Task RefundApi_AdminWithoutAuthenticator_403NamingTheSetupPageAndAudited()
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "nomfa", Password, Roles.Admin);
        using var session = CookieSession.New(_app);
        await session.SignInAsync(user.Email!, Password);

        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/refunds") { Content = JsonContent.Create(Body("key-mfa-00001")) });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("authenticator app", body, StringComparison.Ordinal);
        Assert.Contains(SecondFactorMoneyMovementGuard.SetupPath, body, StringComparison.Ordinal);
        await using var db = await _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Contains(await db.Set<AuditEntry>().Where(a => a.ActorId == user.Id).ToListAsync(), a => a.Action == "refund.refused");
    }

    [Fact]
    public async Task RefundApi_AdminWithAuthenticator_PassesTheCheck()
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "mfa", Password, Roles.Admin);
        using var session = CookieSession.New(_app);
        await session.SignInAsync(user.Email!, Password);
        await EnableAuthenticatorAsync(user.Id);

        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/refunds") { Content = JsonContent.Create(Body("key-mfa-00002")) });

        // Past the second-factor check: the (made-up) payment is what stops it now.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RefundApi_DemoAdminInDevelopment_IsExempt()
    {
        using var session = CookieSession.New(_app);
        await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/refunds") { Content = JsonContent.Create(Body("key-mfa-00003")) });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Guard_Production_DemoAdminNotExemptFinanceNeedsItStaffAndJobsPass()
    {
        var guard = Guard("Production", required: null);
        var admin = await ActorAsync(PortalAppFactory.AdminEmail);
        var finance = await TestUsers.CreateUniqueAsync(_app.Services, "fin", Password, Roles.Finance);
        var staff = await TestUsers.CreateUniqueAsync(_app.Services, "stf", Password, Roles.Staff);

        Assert.NotNull(await guard.CheckAsync(admin));
        Assert.NotNull(await guard.CheckAsync(Actor.User(finance.Id, finance.Email!) with { Origin = "api" }));
        Assert.Null(await guard.CheckAsync(Actor.User(staff.Id, staff.Email!)));
        Assert.Null(await guard.CheckAsync(Actor.Job("recurring-charges")));
        Assert.Null(await guard.CheckAsync(Actor.Webhook("vcc")));

        await EnableAuthenticatorAsync(finance.Id);
        Assert.Null(await guard.CheckAsync(Actor.User(finance.Id, finance.Email!)));
    }

    [Fact]
    public async Task Guard_DevelopmentByDefault_Off_AndOnWhenConfigured()
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "dev", Password, Roles.Admin);
        var actor = Actor.User(user.Id, user.Email!);

        Assert.Null(await Guard("Development", required: null).CheckAsync(actor));
        Assert.NotNull(await Guard("Development", required: true).CheckAsync(actor));
        Assert.NotNull(await Guard("Production", required: null).CheckAsync(actor));
        Assert.Null(await Guard("Production", required: false).CheckAsync(actor));
    }

    private SecondFactorMoneyMovementGuard Guard(string environment, bool? required) =>
        new(_app.Service<IServiceScopeFactory>(),
            new StaticMonitor(new SecurityOptions { RequireMfaForMoneyMovers = required }),
            _app.Service<IOptions<PortalOptions>>(),
            new HostingEnvironment { EnvironmentName = environment },
            NullLogger<SecondFactorMoneyMovementGuard>.Instance);

    private async Task<Actor> ActorAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        return Actor.User(user!.Id, email);
    }

    private async Task EnableAuthenticatorAsync(string userId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
    }

    private sealed class StaticMonitor(SecurityOptions value) : IOptionsMonitor<SecurityOptions>
    {
        public SecurityOptions CurrentValue => value;

        public SecurityOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SecurityOptions, string?> listener) => null;
    }
}
