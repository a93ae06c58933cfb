using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Sandbox;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox routes themselves: credentials like the real gateways, anonymous for the portal's sign-in.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class SandboxEndpointTests(GatewaySandboxFixture fixture)
{
    private const string PaymentBody = """{"request":{"amount":100,"currency":"EUR","description":"d","credit_card":{"token":"tok_sandbox_approve"}}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task EComChargePayment_WrongSecret_Returns401()
    {
        using var http = fixture.RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/ecomcharge/transactions/payments") { Content = Json(PaymentBody) };
        request.Headers.Authorization = Basic("sandbox-shop", "wrong");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task EComChargeQuery_NoCredentials_Returns401NotTheSignInPage()
    {
        using var http = fixture.RawClient();

        var response = await http.GetAsync("sandbox/ecomcharge/transactions/1-abc");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task EComChargePayment_RightCredentials_Returns200WithTransaction()
    {
        using var http = fixture.RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/ecomcharge/transactions/payments") { Content = Json(PaymentBody) };
        request.Headers.Authorization = Basic("sandbox-shop", "sandbox-secret-key");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"successful\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EComChargePayment_CardNumberInsteadOfToken_Returns422WithMessage()
    {
        using var http = fixture.RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/ecomcharge/transactions/payments")
        {
            Content = Json("""{"request":{"amount":100,"currency":"EUR","description":"d","credit_card":{"number":"4200000000000000"}}}"""),
        };
        request.Headers.Authorization = Basic("sandbox-shop", "sandbox-secret-key");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("credit_card.number", body);
        Assert.Contains("credit_card.token", body);
    }

    [Fact]
    public async Task EComChargePayment_NotJson_Returns400()
    {
        using var http = fixture.RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "sandbox/ecomcharge/transactions/payments") { Content = Json("{not json") };
        request.Headers.Authorization = Basic("sandbox-shop", "sandbox-secret-key");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("sandbox/voucherly/payments/vly_pay_confirmed")]
    [InlineData("sandbox/vcc/v1/session")]
    public async Task ApiKeyRoutes_WrongBearer_Return401(string path)
    {
        using var http = fixture.RawClient();
        using var request = new HttpRequestMessage(path.Contains("session") ? HttpMethod.Post : HttpMethod.Get, path)
        {
            Content = path.Contains("session") ? Json("""{"paymentData":{"Amount":"1.00","Currency":"EUR"}}""") : null,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ThreeDSecurePage_Finish_CompletesTheTransaction()
    {
        var gateway = fixture.Service<Portal.Domain.Gateways.IPaymentGateway>();
        var action = Assert.IsType<Portal.Domain.Gateways.GatewayResult.RequiresAction>(await gateway.ChargeTokenAsync(
            new("k-" + Guid.NewGuid().ToString("N"), 700, "EUR", "3ds", SandboxTokens.ThreeDSecureApprove, Portal.Domain.Gateways.TokenChargeKind.RecurringFirst)));
        using var http = fixture.RawClient();

        var page = await http.GetStringAsync(action.RedirectUrl);
        var finished = await http.PostAsync(action.RedirectUrl, null);

        Assert.Contains("Finish verification", page);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal("successful", fixture.Service<Portal.Sandbox.EComCharge.EComChargeSandboxStore>().StatusOf(action.GatewayTransactionId));
    }
}

/// <summary>With the sandbox off, no sandbox route exists.</summary>
public sealed class SandboxDisabledTests
{
    [Fact]
    public void MapSandbox_Disabled_MapsNoSandboxRoutes()
    {
        using var factory = new PortalAppFactory();
        factory.Settings["Sandbox:Enabled"] = "false";
        factory.Settings["Gateways:EComCharge:BaseUrl"] = "https://processing.ecomcharge.example/";
        factory.Settings["Gateways:Voucherly:BaseUrl"] = "https://api.voucherly.example/";
        factory.Settings["Gateways:Vcc:BaseUrl"] = "https://vcc.example/";

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .ToList();

        Assert.Contains(routes, r => r.StartsWith("/health", StringComparison.Ordinal));
        Assert.DoesNotContain(routes, r => r.StartsWith("/sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public void MapSandbox_EnabledInDevelopment_MapsTheGatewayRoutes()
    {
        using var factory = new PortalAppFactory();

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .ToList();

        Assert.Contains("/sandbox/ecomcharge/transactions/payments", routes);
        Assert.Contains("/sandbox/voucherly/payments/{id}", routes);
        Assert.Contains("/sandbox/vcc/v1/session", routes);
    }
}
