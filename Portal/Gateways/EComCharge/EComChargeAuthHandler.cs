using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Portal.Gateways.EComCharge;

/// <summary>HTTP Basic authentication with the shop id and secret key, on every eComCharge request.</summary>
internal sealed class EComChargeAuthHandler(IOptionsMonitor<EComChargeOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        request.Headers.Authorization = BasicHeader(current.ShopId, current.SecretKey);
        request.Headers.Accept.ParseAdd("application/json");
        return base.SendAsync(request, cancellationToken);
    }

    internal static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
