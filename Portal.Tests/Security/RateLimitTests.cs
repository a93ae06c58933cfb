using System.Net;
using System.Net.Http.Json;
using System.Text;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>Sign-in (per address, per account), each webhook source and the refund API answer 429 with Retry-After past their limit.</summary>
public sealed class RateLimitTests
{
    private static PortalAppFactory App(params (string Key, string Value)[] settings)
    {
        var app = new PortalAppFactory();
        foreach (var (key, value) in settings) app.Settings[key] = value;
        return app;
    }

    private static void AssertTooMany(HttpResponseMessage response, int maxSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, maxSeconds);
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task SignIn_PerAccount_DefaultLimitThen429_OtherAccountsUnaffected()
    {
        // The production default (10 tries in 5 minutes per account); the address limit raised out of the way.
        var defaults = new Portal.Security.SecurityOptions().RateLimits.SignInPerAccount;
        using var app = App(
            ("Security:RateLimits:SignInPerAccount:PermitLimit", defaults.PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Security:RateLimits:SignInPerAccount:WindowSeconds", defaults.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Security:RateLimits:SignInPerAddress:PermitLimit", "1000"));
        using var session = CookieSession.New(app);
        const string target = "victim@shop.test";

        for (var i = 0; i < defaults.PermitLimit; i++)
            Assert.Equal(HttpStatusCode.OK, (await session.SignInAsync(target, "Wrong-Password-1!")).StatusCode);
        AssertTooMany(await session.SignInAsync(target.ToUpperInvariant(), "Wrong-Password-1!"), defaults.WindowSeconds);

        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task SignIn_PerAddress_LimitThen429_GetOfTheFormNotCounted()
    {
        using var app = App(("Security:RateLimits:SignInPerAddress:PermitLimit", "4"), ("Security:RateLimits:SignInPerAddress:WindowSeconds", "120"));
        using var session = CookieSession.New(app);

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await session.SignInAsync($"someone{i}@shop.test", "Wrong-Password-1!")).StatusCode);
        var refused = await session.SignInAsync("another@shop.test", "Wrong-Password-1!");

        AssertTooMany(refused, 120);
        // A person at the form gets a page saying how long to wait, not JSON.
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Account/Login")).StatusCode);
    }

    [Fact]
    public async Task Webhooks_PerSourceAndAddress_LimitThen429_OtherSourcesUnaffected()
    {
        using var app = App(("Security:RateLimits:WebhookPerSource:PermitLimit", "3"), ("Security:RateLimits:WebhookPerSource:WindowSeconds", "60"));
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/webhooks/vcc/payment", Json())).StatusCode);
        AssertTooMany(await client.PostAsync("/webhooks/vcc/payment", Json()), 60);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/webhooks/ecomcharge", Json())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/webhooks/cardgateway", Json())).StatusCode);
    }

    [Fact]
    public async Task RefundApi_PerUser_LimitThen429()
    {
        using var app = App(("Security:RateLimits:RefundApiPerUser:PermitLimit", "3"), ("Security:RateLimits:RefundApiPerUser:WindowSeconds", "60"));
        using var session = CookieSession.New(app);
        await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await session.SendAsync(RefundPost())).StatusCode);
        AssertTooMany(await session.SendAsync(RefundPost()), 60);
        // Pages are not limited.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/refunds")).StatusCode);
    }

    [Fact]
    public async Task TestConfiguration_NormalTrafficIsNotThrottled()
    {
        // PortalAppFactory raises the limits so suites that sign in many times are not throttled.
        using var app = new PortalAppFactory();
        using var session = CookieSession.New(app);
        for (var i = 0; i < 25; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword)).StatusCode);
    }

    private static StringContent Json() => new("{}", Encoding.UTF8, "application/json");

    private static HttpRequestMessage RefundPost() => new(HttpMethod.Post, "/api/refunds") { Content = JsonContent.Create(new { amount = 1 }) };
}

/// <summary>Which requests count as a sign-in for the sign-in limits.</summary>
public sealed class SignInRequestMatchTests
{
    [Theory]
    [InlineData("POST", "/Account/Login", true)]
    [InlineData("POST", "/Account/Login/", true)]
    [InlineData("POST", "/account/login", true)]
    [InlineData("GET", "/Account/Login", false)]
    [InlineData("POST", "/Account/LoginWith2fa", false)]
    [InlineData("POST", "/Account/Logout", false)]
    public void IsSignInPost_TrailingSlashAndCase_StillASignIn(string method, string path, bool expected)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;

        Assert.Equal(expected, Portal.Security.PortalRateLimits.IsSignInPost(http));
    }
}
