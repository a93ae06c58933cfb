using Portal.Gateways;
using Portal.Gateways.EComCharge;
using Portal.Gateways.Vcc;
using Portal.Gateways.Voucherly;

namespace Portal.Tests.Gateways;

public sealed class GatewayBaseAddressesTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080")]
    [InlineData("http://+:80", "http://127.0.0.1:80")]
    [InlineData("http://*:5001/base", "http://127.0.0.1:5001/base")]
    [InlineData("http://127.0.0.1:43127", "http://127.0.0.1:43127")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    public void LoopbackFor_ListeningAddress_MapsWildcardsToLoopback(string listening, string expected)
    {
        Assert.Equal(expected, GatewayBaseAddresses.LoopbackFor(listening));
    }
}

/// <summary>With an empty BaseUrl and the sandbox on, adapters call this portal's sandbox on the port it actually listens on.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class GatewayBaseAddressesLiveTests(GatewaySandboxFixture fixture)
{
    [Fact]
    public void For_EmptyBaseUrlWithSandbox_IsThisPortalsSandboxOnItsRealPort()
    {
        var addresses = fixture.Service<GatewayBaseAddresses>();

        Assert.Equal(new Uri(fixture.Server.BaseAddress, "sandbox/ecomcharge/"), addresses.For(new EComChargeOptions()));
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "sandbox/voucherly/"), addresses.For(new VoucherlyOptions()));
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "sandbox/vcc/"), addresses.For(new VccOptions()));
    }

    [Fact]
    public void For_ConfiguredBaseUrl_IsUsedWithATrailingSlash()
    {
        var addresses = fixture.Service<GatewayBaseAddresses>();

        Assert.Equal(new Uri("https://processing.ecomcharge.example/api/"), addresses.For(new EComChargeOptions { BaseUrl = "https://processing.ecomcharge.example/api" }));
    }
}
