using Microsoft.Extensions.Options;
using Portal.Sandbox.EComCharge;
using Portal.Sandbox.Vcc;
using Portal.Sandbox.Voucherly;

namespace Portal.Sandbox;

/// <summary>Registration of the sandbox that plays the gateways on this portal's own routes (docs/sandbox.md).</summary>
public static class SandboxExtensions
{
    /// <summary>Sandbox settings and stores. Called by <c>AddGateways</c>; the stores cost nothing while the sandbox is off.</summary>
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>()
            .Bind(builder.Configuration.GetSection(SandboxOptions.Section))
            .Validate(o => o.PendingSeconds is >= 0 and <= 3600, "Sandbox:PendingSeconds must be between 0 and 3600.")
            .Validate(o => string.IsNullOrWhiteSpace(o.VccCallbackUrl) || Uri.TryCreate(o.VccCallbackUrl, UriKind.Absolute, out _),
                "Sandbox:VccCallbackUrl must be an absolute URL when set.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EComChargeSandboxStore>();
        builder.Services.AddSingleton<EComChargeSandboxMemory>();
        builder.Services.AddSingleton<EComChargeSandboxNotifier>();
        builder.Services.AddSingleton<VoucherlySandboxStore>();
        builder.Services.AddSingleton<VoucherlySandboxMemory>();
        builder.Services.AddSingleton<VccSandboxStore>();
        builder.Services.AddSingleton<SandboxCallbacks>();
        builder.Services.AddHttpClient(SandboxCallbacks.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            // A callback's answer is recorded as given: a redirect (e.g. to the sign-in page) is not followed.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return builder;
    }

    /// <summary>
    /// Maps <c>/sandbox/ecomcharge/...</c>, <c>/sandbox/voucherly/...</c> and <c>/sandbox/vcc/...</c>
    /// when <c>Sandbox:Enabled</c> is true. They check the gateways' own credentials, not the
    /// portal's sign-in, hence anonymous for the portal's authorization.
    /// </summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SandboxOptions>>().Value.Enabled)
            return app;
        var sandbox = app.MapGroup("/sandbox")
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        EComChargeSandboxEndpoints.Map(sandbox.MapGroup("/ecomcharge"));
        VoucherlySandboxEndpoints.Map(sandbox.MapGroup("/voucherly"));
        VccSandboxEndpoints.Map(sandbox.MapGroup("/vcc"));
        app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SandboxExtensions))
            .LogInformation("Gateway sandbox enabled under /sandbox (eComCharge, Voucherly, VCC)");
        return app;
    }
}
