using Portal.Domain.Webhooks;

namespace Portal.Webhooks;

public static class WebhookEndpoints
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 10 * 1024 * 1024, "Webhooks:MaxBodyBytes must be between 1024 and 10485760.")
            .Validate(o => o.MaxStoredPayloadBytes is >= 1024 and <= 10 * 1024 * 1024, "Webhooks:MaxStoredPayloadBytes must be between 1024 and 10485760.")
            .Validate(o => Complete(o.Vcc) && Complete(o.EComCharge) && Complete(o.CardGateway),
                "Webhooks:<Source>:Username and Webhooks:<Source>:Password must be set together (Vcc, EComCharge, CardGateway).")
            .ValidateOnStart();
        services.AddSingleton<WebhookIngestion>();
        services.AddSingleton<WebhookReceiver>();
        services.AddSingleton<WebhookQueries>();
        return services;
    }

    /// <summary>The inbound webhook endpoints (paths are part of the product's contract, see DESIGN.md).</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Senders authenticate with HTTP Basic per source, not with the portal's sign-in cookie.
        var group = app.MapGroup("/webhooks").AllowAnonymous().DisableAntiforgery();
        group.MapPost("/vcc/payment", (HttpContext http, WebhookReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveAsync(http, WebhookSource.Vcc, VccCallbackParser.Parse, ct));
        group.MapPost("/ecomcharge", (HttpContext http, WebhookReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveAsync(http, WebhookSource.EComCharge, EComChargeNotificationParser.Parse, ct));
        group.MapPost("/cardgateway", (HttpContext http, WebhookReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveAsync(http, WebhookSource.CardGateway, CardGatewayCallbackParser.Parse, ct));
        return app;
    }

    private static bool Complete(WebhookCredentials c) =>
        string.IsNullOrEmpty(c.Username) == string.IsNullOrEmpty(c.Password);
}
