using System.Net.Http.Headers;

namespace Portal.Gateways;

/// <summary>Adds <c>Authorization: Bearer &lt;api key&gt;</c> (Voucherly and VCC clients). The key is read per request so a reload takes effect.</summary>
internal sealed class ApiKeyAuthHandler(Func<string> apiKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey());
        return base.SendAsync(request, cancellationToken);
    }
}
