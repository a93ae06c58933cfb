using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Users;

namespace Portal.Tests.Browser;

/// <summary>Throwaway accounts for browser tests, created through the real service on the live server.</summary>
internal static class BrowserUsers
{
    public const string Password = "Browser-Test-Passw0rd!";

    public static async Task<string> CreateAsync(BrowserFixture fixture, string role, string? prefix = null)
    {
        var email = $"{prefix ?? role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24] + "@shop.test";
        var services = fixture.Server.LiveServices;
        var result = await services.GetRequiredService<UserAdministration>()
            .CreateAsync(await AdminActorAsync(services), new NewUser(email, "Test " + role, [role], Password));
        Assert.True(result.Succeeded, result.ErrorSummary);
        return email;
    }

    public static async Task<Actor> AdminActorAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(PortalAppFactory.AdminEmail);
        Assert.NotNull(admin);
        return Actor.User(admin.Id, admin.Email!);
    }
}
