using Microsoft.Extensions.Options;
using Portal.Domain.Gateways;
using Portal.Gateways.EComCharge;
using Portal.Gateways.Vcc;
using Portal.Gateways.Voucherly;
using Portal.Sandbox;

namespace Portal.Gateways;

/// <summary>Registration of the outbound gateway adapters (and the sandbox that can stand in for them).</summary>
public static class GatewaysExtensions
{
    private const long MaxResponseBytes = 1024 * 1024;

    /// <summary>
    /// Typed HttpClients for eComCharge (<see cref="IPaymentGateway"/>), Voucherly and VCC, each
    /// with its settings validated at start-up, its authentication in a DelegatingHandler, and a
    /// per-attempt timeout with retries only for requests safe to repeat. Also registers the
    /// sandbox's services (<see cref="SandboxExtensions.AddSandbox"/>).
    /// </summary>
    public static IHostApplicationBuilder AddGateways(this IHostApplicationBuilder builder)
    {
        builder.AddSandbox();
        var services = builder.Services;
        services.AddSingleton<GatewayBaseAddresses>();

        AddGatewayOptions<EComChargeOptions>(builder, EComChargeOptions.Section);
        AddGatewayOptions<VoucherlyOptions>(builder, VoucherlyOptions.Section);
        AddGatewayOptions<VccOptions>(builder, VccOptions.Section);

        services.AddTransient<EComChargeAuthHandler>();
        services.AddHttpClient<EComChargeGateway>(ConfigureClient)
            .AddHttpMessageHandler<EComChargeAuthHandler>()
            .AddHttpMessageHandler(sp => new GatewayResilienceHandler(sp.GetRequiredService<IOptionsMonitor<EComChargeOptions>>().CurrentValue));
        services.AddTransient<IPaymentGateway>(sp => sp.GetRequiredService<EComChargeGateway>());

        services.AddHttpClient<VoucherlyClient>(ConfigureClient)
            .AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<VoucherlyOptions>>();
                return new ApiKeyAuthHandler(() => options.CurrentValue.ApiKey);
            })
            .AddHttpMessageHandler(sp => new GatewayResilienceHandler(sp.GetRequiredService<IOptionsMonitor<VoucherlyOptions>>().CurrentValue));

        services.AddHttpClient<VccClient>(ConfigureClient)
            .AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<VccOptions>>();
                return new ApiKeyAuthHandler(() => options.CurrentValue.ApiKey);
            })
            .AddHttpMessageHandler(sp => new GatewayResilienceHandler(sp.GetRequiredService<IOptionsMonitor<VccOptions>>().CurrentValue));
        return builder;
    }

    private static void AddGatewayOptions<TOptions>(IHostApplicationBuilder builder, string section)
        where TOptions : GatewayHttpOptions
    {
        builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration.GetSection(section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, GatewayOptionsValidator<TOptions>>();
    }

    private static void ConfigureClient(HttpClient client)
    {
        // The resilience handler owns the per-attempt timeout; the client's own would cut retries short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.MaxResponseContentBufferSize = MaxResponseBytes;
    }
}
