using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Portal.Gateways.Vcc;

/// <summary>
/// The contact centre's <c>POST /v1/session</c> (004_b9b4f98a582258ff.txt): starts an
/// agent-assisted payment session and returns the secure form's iframe URL. The payment itself
/// arrives later through the async callback (000). Creating a session is not idempotent, so it
/// is never retried. Authentication (an assumption: the document defers to the "Payment API"
/// header rules): <c>Authorization: Bearer &lt;Gateways:Vcc:ApiKey&gt;</c>.
/// </summary>
public sealed class VccClient(
    HttpClient http,
    GatewayBaseAddresses addresses,
    IOptionsMonitor<VccOptions> options,
    ILogger<VccClient> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="agentId">The agent's id (required when called from a back end, as here).</param>
    /// <param name="paymentData">See <see cref="VccPaymentData.Create"/>.</param>
    /// <param name="accountConfigurationId">Alternative payment configuration; defaults to <c>Gateways:Vcc:AccountConfigurationId</c>.</param>
    /// <param name="skipCallTransfer">Testing only: create the session without an active call.</param>
    public async Task<VccSessionResult> CreateSessionAsync(
        string? agentId,
        IReadOnlyDictionary<string, string> paymentData,
        int? accountConfigurationId = null,
        bool skipCallTransfer = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paymentData);
        var current = options.CurrentValue;
        var body = new VccSessionRequest(agentId, paymentData, accountConfigurationId ?? current.AccountConfigurationId, skipCallTransfer);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(addresses.For(current), "v1/session"))
        {
            Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        var result = Map(await GatewayExchange.SendAsync(http, message, cancellationToken).ConfigureAwait(false));
        paymentData.TryGetValue("MerchantReferenceCode", out var reference);
        switch (result)
        {
            case VccSessionResult.Created created:
                logger.LogInformation("VCC session {SessionGuid} created for agent {AgentId}, reference {MerchantReferenceCode}",
                    created.Session.SessionGuid, agentId, reference);
                break;
            default:
                logger.LogWarning("VCC session for agent {AgentId}, reference {MerchantReferenceCode} not created: {Outcome}",
                    agentId, reference, result);
                break;
        }
        return result;
    }

    internal static VccSessionResult Map(GatewayExchange exchange)
    {
        if (!exchange.Answered)
            return new VccSessionResult.Unknown(exchange.Failure ?? "no answer");
        var code = (int)exchange.Status!.Value;
        if (code >= 500 || exchange.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            return new VccSessionResult.Unknown($"HTTP {code} from VCC: {GatewayExchange.Excerpt(exchange.Body)}");
        if (code >= 400)
            return new VccSessionResult.Rejected(code, GatewayExchange.Excerpt(exchange.Body));
        if (code is < 200 or >= 300)
            return new VccSessionResult.Unknown($"unexpected HTTP {code} from VCC");
        try
        {
            var response = JsonSerializer.Deserialize<VccSessionResponse>(exchange.Body ?? "", Json);
            if (string.IsNullOrWhiteSpace(response?.SessionGuid) || string.IsNullOrWhiteSpace(response.IframeUrl))
                return new VccSessionResult.Unknown("VCC answered without sessionGuid or iframeUrl");
            return new VccSessionResult.Created(new VccSession(
                response.SessionGuid, response.IframeUrl, response.ProviderSessionGuid, response.AgentAccessToken, response.AgentRefreshToken));
        }
        catch (JsonException ex)
        {
            return new VccSessionResult.Unknown($"malformed JSON from VCC: {ex.Message}");
        }
    }
}

internal sealed record VccSessionRequest(
    string? AgentId,
    IReadOnlyDictionary<string, string> PaymentData,
    int? AccountConfigurationId,
    bool SkipCallTransfer);

internal sealed class VccSessionResponse
{
    public string? SessionGuid { get; set; }
    public string? AgentAccessToken { get; set; }
    public string? AgentRefreshToken { get; set; }
    public string? IframeUrl { get; set; }
    public string? ProviderSessionGuid { get; set; }
}
