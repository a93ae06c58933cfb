using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Portal.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>Every page and endpoint (pages, API, webhooks, health, Hangfire, static files, errors) carries the security headers.</summary>
public sealed class SecurityHeadersTests(SecurityHeadersTests.App app) : IClassFixture<SecurityHeadersTests.App>
{
    public sealed class App : PortalAppFactory;

    public static TheoryData<string, string, HttpStatusCode> Endpoints => new()
    {
        { "GET", "/", HttpStatusCode.OK },
        { "GET", "/payments", HttpStatusCode.OK },
        { "GET", "/payments/no-such-payment", HttpStatusCode.OK },
        { "GET", "/transactions", HttpStatusCode.OK },
        { "GET", "/refunds", HttpStatusCode.OK },
        { "GET", "/phone-payments", HttpStatusCode.OK },
        { "GET", "/jobs", HttpStatusCode.OK },
        { "GET", "/webhooks", HttpStatusCode.OK },
        { "GET", "/audit", HttpStatusCode.OK },
        { "GET", "/users", HttpStatusCode.OK },
        { "GET", "/Account/Manage", HttpStatusCode.OK },
        { "GET", "/Account/Manage/TwoFactorAuthentication", HttpStatusCode.OK },
        { "GET", "/no-such-page", HttpStatusCode.NotFound },
        { "GET", "/hangfire", HttpStatusCode.OK },
        { "GET", "/health/live", HttpStatusCode.OK },
        { "GET", "/health/ready", HttpStatusCode.OK },
        { "GET", "/css/portal.css", HttpStatusCode.OK },
        { "GET", "/favicon.svg", HttpStatusCode.OK },
        { "GET", "/js/session.js", HttpStatusCode.OK },
        { "GET", "/_framework/blazor.web.js", HttpStatusCode.OK },
        { "POST", "/webhooks/vcc/payment", HttpStatusCode.Unauthorized },
        { "POST", "/webhooks/ecomcharge", HttpStatusCode.Unauthorized },
        { "POST", "/webhooks/cardgateway", HttpStatusCode.Unauthorized },
        { "POST", "/api/refunds", HttpStatusCode.UnprocessableEntity },
        { "POST", SecurityServiceCollectionExtensions.KeepAlivePath, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Response_SignedInAdmin_CarriesTheSecurityHeaders(string method, string path, HttpStatusCode expected)
    {
        using var session = CookieSession.New(app);
        await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");

        var response = await session.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/Account/Login", HttpStatusCode.OK)]
    [InlineData("/refunds", HttpStatusCode.Redirect)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/hangfire", HttpStatusCode.Redirect)]
    public async Task Response_Anonymous_CarriesTheSecurityHeaders(string path, HttpStatusCode expected)
    {
        using var session = CookieSession.New(app);

        var response = await session.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Health_ContractUnchanged_PlainHealthy()
    {
        using var session = CookieSession.New(app);
        var response = await session.GetAsync("/health/live");
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Page_Development_NoHstsAndNoRedirectToHttps()
    {
        using var session = CookieSession.New(app);
        var response = await session.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Page_NoInlineScript_EveryScriptIsAFileOfThisSite()
    {
        using var session = CookieSession.New(app);
        await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        foreach (var path in new[] { "/Account/Login", "/", "/refunds" })
        {
            var html = await (await session.GetAsync(path)).Content.ReadAsStringAsync();
            foreach (System.Text.RegularExpressions.Match script in System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>([\\s\\S]*?)</script>"))
            {
                Assert.Contains("src=\"", script.Value, StringComparison.Ordinal);
                Assert.True(string.IsNullOrWhiteSpace(script.Groups[1].Value), $"{path} has an inline script: {script.Value[..Math.Min(80, script.Value.Length)]}");
            }
            Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeadersMiddleware.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}

/// <summary>Outside Development: HSTS, HTTPS redirection and Secure cookies.</summary>
public sealed class ProductionTransportTests : IDisposable
{
    private const string Password = "Pr0duction-Adm1n-Secret!";
    private readonly ProductionApp _app = new();

    public void Dispose() => _app.Dispose();

    private sealed class ProductionApp : PortalAppFactory
    {
        public ProductionApp()
        {
            Settings["Portal:Admin:Email"] = "owner@shop.test";
            Settings["Portal:Admin:Password"] = Password;
            Settings["Gateways:EComCharge:BaseUrl"] = "https://ecomcharge.invalid/";
            Settings["Gateways:EComCharge:ShopId"] = "shop";
            Settings["Gateways:EComCharge:SecretKey"] = "secret";
            Settings["Gateways:Voucherly:BaseUrl"] = "https://voucherly.invalid/";
            Settings["Gateways:Voucherly:ApiKey"] = "key";
            Settings["Gateways:Vcc:BaseUrl"] = "https://vcc.invalid/";
            Settings["Gateways:Vcc:ApiKey"] = "key";
            Settings["https_port"] = "443";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task Http_Production_RedirectedToHttps()
    {
        using var session = CookieSession.New(_app, "http://portal.example/");

        var response = await session.GetAsync("/refunds");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://portal.example/refunds", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Https_Production_HstsAndSecureCookiesAndHeaders()
    {
        using var session = CookieSession.New(_app, "https://portal.example/");

        var login = await session.GetAsync("/Account/Login");
        var signIn = await session.SignInAsync("owner@shop.test", Password);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("max-age=", Assert.Single(login.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        SecurityHeadersTests.AssertSecurityHeaders(login);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(session.HasAuthCookie);
        Assert.NotEmpty(session.SetCookieHeaders);
        Assert.All(session.SetCookieHeaders, header => Assert.Contains("secure", header, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(session.SetCookieHeaders, h => h.StartsWith("portal.auth=", StringComparison.Ordinal));
    }
}
