using System.Net;
using Portal.Components.Account;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>A crafted ReturnUrl never breaks the sign-in or leads off the site: the person lands on the dashboard.</summary>
public sealed class ReturnUrlSignInTests(ReturnUrlSignInTests.App app) : IClassFixture<ReturnUrlSignInTests.App>
{
    public sealed class App : PortalAppFactory;

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://localhost.evil.example/refunds")]
    [InlineData("\\\\evil.example")]
    public async Task SignIn_OffSiteReturnUrl_SignsInAndLandsOnTheDashboard(string returnUrl)
    {
        using var session = CookieSession.New(app);

        var response = await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword,
            "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        Assert.Equal("/", target.AbsolutePath);
        Assert.True(session.HasAuthCookie);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("/refunds?status=Failed", "/refunds")]
    [InlineData("http://localhost/payments", "/payments")]
    public async Task SignIn_LocalReturnUrl_IsFollowed(string returnUrl, string expectedPath)
    {
        using var session = CookieSession.New(app);

        var response = await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword,
            "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        Assert.Equal(expectedPath, target.AbsolutePath);
    }

    [Theory]
    [InlineData("https://evil.example/", "")]
    [InlineData("//evil.example", "")]
    [InlineData("/\\evil.example", "")]
    [InlineData("javascript:alert(1)", "")]
    [InlineData("JaVaScRiPt:alert(1)", "")]
    [InlineData("/%0d%0aevil", "%0d%0aevil")]
    [InlineData("/payments/p-1?x=a:b", "payments/p-1?x=a:b")]
    [InlineData("https://portal.test/base/refunds", "refunds")]
    [InlineData(null, "")]
    public void LocalTarget_KeepsOnlyPathsInsideThePortal(string? uri, string expected) =>
        Assert.Equal(expected, IdentityRedirectManager.LocalTarget(uri, "https://portal.test/base/"));
}
