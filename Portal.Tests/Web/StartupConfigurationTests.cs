using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>Outside Development the first admin's password must be set and strong, or the portal does not start.</summary>
public sealed class StartupConfigurationTests
{
    private const string StrongPassword = "Pr0duction-Adm1n-Secret!";

    [Fact]
    public void Startup_ProductionWithoutAdminPassword_FailsNamingTheSetting()
    {
        using var app = new ProductionAppFactory(password: null);

        var error = StartupError(app);

        Assert.Contains("Portal:Admin:Password", error, StringComparison.Ordinal);
        Assert.Contains("No admin exists yet", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_ProductionWithWeakPassword_FailsNamingTheSetting()
    {
        using var app = new ProductionAppFactory(password: "password");

        var error = StartupError(app);

        Assert.Contains("Portal:Admin:Password", error, StringComparison.Ordinal);
        Assert.Contains("too weak", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_ProductionWithDemoPassword_FailsNamingTheSetting()
    {
        using var app = new ProductionAppFactory(password: PortalAppFactory.AdminPassword);

        var error = StartupError(app);

        Assert.Contains("Portal:Admin:Password", error, StringComparison.Ordinal);
        Assert.Contains("demo password", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProductionWithStrongPassword_CreatesTheAdminWithAllRoles()
    {
        using var app = new ProductionAppFactory(password: StrongPassword);

        var admins = await AdminsAsync(app);

        var admin = Assert.Single(admins);
        Assert.Equal("owner@shop.test", admin.Email);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.Equal(Roles.All.Order(StringComparer.Ordinal), (await users.GetRolesAsync(admin)).Order(StringComparer.Ordinal));
        Assert.True(await users.CheckPasswordAsync(admin, StrongPassword));
    }

    [Fact]
    public async Task Startup_TwiceOnTheSameDataFolder_KeepsOneAdmin()
    {
        string dataDirectory;
        using (var first = new ProductionAppFactory(password: StrongPassword))
        {
            Assert.Single(await AdminsAsync(first));
            dataDirectory = first.DataDirectory;
        }

        // The second start has no password at all: an admin exists, so none is needed.
        using var second = new ProductionAppFactory(password: null);
        second.Settings["Portal:DataDirectory"] = dataDirectory;

        Assert.Single(await AdminsAsync(second));
    }

    private static async Task<IList<PortalUser>> AdminsAsync(PortalAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().GetUsersInRoleAsync(Roles.Admin);
    }

    /// <summary>Starts the host and returns every message of the exception that stopped it, which must be a configuration error.</summary>
    private static string StartupError(PortalAppFactory app)
    {
        var messages = app.StartupErrorMessages();
        Assert.Contains(nameof(StartupConfigurationException) + ": ", messages, StringComparison.Ordinal);
        return messages;
    }

    private sealed class ProductionAppFactory : PortalAppFactory
    {
        public ProductionAppFactory(string? password)
        {
            Settings["Portal:Admin:Email"] = "owner@shop.test";
            Settings["Portal:Admin:Password"] = password;
            // Production has no sandbox: the gateways need real addresses and credentials to start.
            Settings["Gateways:EComCharge:BaseUrl"] = "https://ecomcharge.invalid/";
            Settings["Gateways:EComCharge:ShopId"] = "shop";
            Settings["Gateways:EComCharge:SecretKey"] = "secret";
            Settings["Gateways:Voucherly:BaseUrl"] = "https://voucherly.invalid/";
            Settings["Gateways:Voucherly:ApiKey"] = "key";
            Settings["Gateways:Vcc:BaseUrl"] = "https://vcc.invalid/";
            Settings["Gateways:Vcc:ApiKey"] = "key";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
