using Microsoft.Extensions.Options;
using Portal.Gateways;
using Portal.Gateways.EComCharge;
using Portal.Gateways.Vcc;
using Portal.Gateways.Voucherly;
using Portal.Sandbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateways;

/// <summary>Gateway settings are validated at start-up, and every message names the setting to fix.</summary>
public sealed class GatewayOptionsTests
{
    private static string StartUpFailure(Action<Dictionary<string, string?>> configure)
    {
        using var factory = new PortalAppFactory();
        configure(factory.Settings);
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        return Flatten(error);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten))
            : error.Message + (error.InnerException is null ? "" : " | " + Flatten(error.InnerException));

    [Fact]
    public void Startup_SandboxOffAndNoBaseUrl_FailsNamingTheSetting()
    {
        var message = StartUpFailure(s =>
        {
            s["Sandbox:Enabled"] = "false";
            s["Gateways:Voucherly:BaseUrl"] = "https://api.voucherly.example/";
            s["Gateways:Vcc:BaseUrl"] = "https://vcc.example/";
        });

        Assert.Contains("Gateways:EComCharge:BaseUrl is required when the sandbox is off", message);
    }

    [Fact]
    public void Startup_MissingShopId_FailsNamingTheSetting()
    {
        var message = StartUpFailure(s => s["Gateways:EComCharge:ShopId"] = "");

        Assert.Contains("Gateways:EComCharge:ShopId is required", message);
    }

    [Fact]
    public void Startup_MissingVoucherlyApiKey_FailsNamingTheSetting()
    {
        var message = StartUpFailure(s => s["Gateways:Voucherly:ApiKey"] = "");

        Assert.Contains("Gateways:Voucherly:ApiKey is required", message);
    }

    [Fact]
    public void Validate_BadValues_NamesEachSetting()
    {
        var validator = new GatewayOptionsValidator<VccOptions>(Options.Create(new SandboxOptions { Enabled = true }));

        var result = validator.Validate(null, new VccOptions
        {
            BaseUrl = "not a url",
            ApiKey = "",
            TimeoutSeconds = 0,
            MaxRetries = 9,
            RetryDelayMilliseconds = -1,
            AccountConfigurationId = 0,
        });

        Assert.True(result.Failed);
        foreach (var setting in new[] { "BaseUrl", "ApiKey", "TimeoutSeconds", "MaxRetries", "RetryDelayMilliseconds", "AccountConfigurationId" })
            Assert.Contains(result.Failures!, f => f.StartsWith("Gateways:Vcc:" + setting, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SandboxOnAndNoBaseUrl_Succeeds()
    {
        var validator = new GatewayOptionsValidator<EComChargeOptions>(Options.Create(new SandboxOptions { Enabled = true }));

        var result = validator.Validate(null, new EComChargeOptions { ShopId = "s", SecretKey = "k" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_RealGatewayConfigured_SucceedsWithTheSandboxOff()
    {
        var validator = new GatewayOptionsValidator<VoucherlyOptions>(Options.Create(new SandboxOptions { Enabled = false }));

        var result = validator.Validate(null, new VoucherlyOptions { BaseUrl = "https://api.voucherly.example/v1", ApiKey = "k" });

        Assert.True(result.Succeeded);
    }
}
