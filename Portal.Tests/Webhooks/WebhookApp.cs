using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Persistence;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>The portal in memory with known webhook credentials, and helpers to post and count.</summary>
public sealed class WebhookApp : PortalAppFactory
{
    public const string VccUser = "vcc-test";
    public const string VccPassword = "vcc-test-secret-123";
    public const string EComUser = "shop-test";
    public const string EComPassword = "ecom-test-secret-123";
    public const string CardUser = "cardgw-test";
    public const string CardPassword = "cardgw-test-secret-123";

    public WebhookApp()
    {
        Settings["Webhooks:Vcc:Username"] = VccUser;
        Settings["Webhooks:Vcc:Password"] = VccPassword;
        Settings["Webhooks:EComCharge:Username"] = EComUser;
        Settings["Webhooks:EComCharge:Password"] = EComPassword;
        Settings["Webhooks:CardGateway:Username"] = CardUser;
        Settings["Webhooks:CardGateway:Password"] = CardPassword;
        Settings["Jobs:Enabled"] = "false";
        Settings["Logging:LogLevel:Portal"] = "Information";
        ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
    }

    /// <summary>Every log line the portal wrote, for the "never log a card number" checks.</summary>
    public CollectingLoggerProvider Logs { get; } = new();

    public static string PathOf(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => "/webhooks/vcc/payment",
        WebhookSource.EComCharge => "/webhooks/ecomcharge",
        _ => "/webhooks/cardgateway",
    };

    public static AuthenticationHeaderValue AuthOf(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => Basic(VccUser, VccPassword),
        WebhookSource.EComCharge => Basic(EComUser, EComPassword),
        _ => Basic(CardUser, CardPassword),
    };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public Task<HttpResponseMessage> PostAsync(HttpClient client, WebhookSource source, string body,
        string contentType = "application/json", AuthenticationHeaderValue? auth = null) =>
        PostBytesAsync(client, source, Encoding.UTF8.GetBytes(body), contentType, auth);

    public async Task<HttpResponseMessage> PostBytesAsync(HttpClient client, WebhookSource source, byte[] body,
        string contentType = "application/json", AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PathOf(source)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = auth ?? AuthOf(source);
        return await client.SendAsync(request);
    }

    public async Task<(int Deliveries, int Payments, int Transactions, int Changes)> CountsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return (await db.Set<WebhookDelivery>().CountAsync(), await db.Set<Payment>().CountAsync(),
            await db.Set<PaymentTransaction>().CountAsync(), await db.Set<PaymentStatusChange>().CountAsync());
    }

    public PortalDbContext Db() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
}
