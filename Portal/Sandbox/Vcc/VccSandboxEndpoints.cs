using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Gateways;
using Portal.Gateways.Vcc;

namespace Portal.Sandbox.Vcc;

/// <summary>
/// The contact centre under <c>/sandbox/vcc</c>: <c>POST /v1/session</c> (004) creates a session
/// whose iframeUrl is the sandbox's own secure form, <c>/sandbox/vcc/form/{providerSessionGuid}</c>.
/// Its "Pay" and "Decline" buttons make the sandbox post the async payment callback (000: masked
/// card only) to the portal's <c>POST /webhooks/vcc/payment</c> with HTTP Basic credentials
/// from <c>Webhooks:Vcc:Username</c>/<c>Password</c>.
/// </summary>
internal static class VccSandboxEndpoints
{
    /// <summary>The sandbox card: only its last 4 digits, length and expiry ever leave the form.</summary>
    public const string CardTrailing = "1111";
    public const int CardLength = 16;
    public const string CardExpiration = "1230";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/v1/session", CreateSessionAsync);
        group.MapGet("/form/{providerSessionGuid}", Form);
        group.MapPost("/form/{providerSessionGuid}/pay", (string providerSessionGuid, VccSandboxStore store, SandboxCallbacks callbacks,
            GatewayBaseAddresses addresses, IOptions<SandboxOptions> sandbox, IConfiguration configuration, HttpContext http) =>
            CompleteAsync(providerSessionGuid, "successful", store, callbacks, addresses, sandbox, configuration, http));
        group.MapPost("/form/{providerSessionGuid}/decline", (string providerSessionGuid, VccSandboxStore store, SandboxCallbacks callbacks,
            GatewayBaseAddresses addresses, IOptions<SandboxOptions> sandbox, IConfiguration configuration, HttpContext http) =>
            CompleteAsync(providerSessionGuid, "unsuccessful", store, callbacks, addresses, sandbox, configuration, http));
    }

    private static async Task<IResult> CreateSessionAsync(HttpContext http, VccSandboxStore store, IOptionsMonitor<VccOptions> options, ILogger<VccSandboxStore> logger)
    {
        if (!SandboxAuth.HasBearer(http.Request, options.CurrentValue.ApiKey))
            return SandboxAuth.Unauthorized(http, "Bearer", "VCC sandbox");
        var (body, error) = await SandboxJson.ReadAsync(http.Request);
        if (error is not null)
            return error;

        var errors = new Dictionary<string, string[]>();
        var paymentData = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body!["paymentData"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                if (SandboxJson.String(value) is { } text)
                    paymentData[key] = text;
            }
        }
        else
            errors["paymentData"] = ["is required"];
        var currency = paymentData.GetValueOrDefault("Currency");
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetter))
            errors["paymentData.Currency"] = ["must be an ISO 4217 code"];
        long amountMinor = 0;
        if (currency is not null && (!CurrencyExponents.TryParseDecimal(paymentData.GetValueOrDefault("Amount"), currency, out amountMinor) || amountMinor <= 0))
            errors["paymentData.Amount"] = ["must be a positive decimal string with at most the currency's digits, e.g. \"12.40\""];
        if (errors.Count > 0)
            return SandboxJson.ValidationFailed(errors);

        var agentId = SandboxJson.String(body["agentId"]) ?? SandboxJson.String(body["agentID"]);
        var session = store.Create(agentId, paymentData, amountMinor, currency!.ToUpperInvariant(),
            SandboxJson.Int(body["accountConfigurationId"]), SandboxJson.Bool(body["skipCallTransfer"]) ?? false);
        logger.LogInformation("Sandbox VCC session {SessionGuid} for agent {AgentId}: {AmountMinor} {Currency}",
            session.SessionGuid, agentId, amountMinor, session.Currency);
        return Results.Json(new
        {
            sessionGuid = session.SessionGuid,
            agentAccessToken = "sandbox." + VccSandboxStore.NewToken(24),
            agentRefreshToken = VccSandboxStore.NewToken(16),
            iframeUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/sandbox/vcc/form/{session.ProviderSessionGuid}",
            providerSessionGuid = session.ProviderSessionGuid,
        });
    }

    private static IResult Form(string providerSessionGuid, VccSandboxStore store)
    {
        var session = store.Find(providerSessionGuid);
        if (session is null)
            return SandboxJson.Page("Secure payment form (sandbox)", "<p>This payment session does not exist.</p>", StatusCodes.Status404NotFound);
        var data = session.PaymentData;
        var summary =
            $"""
            <dl>
            <dt>Amount</dt><dd>{SandboxJson.Html(CurrencyExponents.FormatDecimal(session.AmountMinor, session.Currency))} {SandboxJson.Html(session.Currency)}</dd>
            <dt>Card holder</dt><dd>{SandboxJson.Html($"{data.GetValueOrDefault("FirstName")} {data.GetValueOrDefault("Surname")}".Trim())}</dd>
            <dt>Email</dt><dd>{SandboxJson.Html(data.GetValueOrDefault("Email"))}</dd>
            <dt>Reference</dt><dd>{SandboxJson.Html(data.GetValueOrDefault("MerchantReferenceCode"))}</dd>
            <dt>Card</dt><dd>sandbox Visa ending {CardTrailing}, expires {CardExpiration[..2]}/{CardExpiration[2..]}</dd>
            </dl>
            """;
        var actions = session.Outcome is null
            ? $"""
              <form method="post">
              <button type="submit" formaction="{SandboxJson.Html(session.ProviderSessionGuid)}/pay" data-test="pay">Pay</button>
              <button type="submit" formaction="{SandboxJson.Html(session.ProviderSessionGuid)}/decline" data-test="decline">Decline</button>
              </form>
              """
            : $"<p>This session is finished: <strong>{SandboxJson.Html(session.Outcome)}</strong>.</p>";
        return SandboxJson.Page("Secure payment form (sandbox)", summary + actions);
    }

    private static async Task<IResult> CompleteAsync(
        string providerSessionGuid, string outcome, VccSandboxStore store, SandboxCallbacks callbacks,
        GatewayBaseAddresses addresses, IOptions<SandboxOptions> sandbox, IConfiguration configuration, HttpContext http)
    {
        var session = store.Find(providerSessionGuid);
        if (session is null)
            return SandboxJson.Page("Secure payment form (sandbox)", "<p>This payment session does not exist.</p>", StatusCodes.Status404NotFound);
        if (!store.TryComplete(session, outcome))
            return SandboxJson.Page("Secure payment form (sandbox)",
                $"<p>This session is already finished: <strong>{SandboxJson.Html(session.Outcome)}</strong>.</p>", StatusCodes.Status409Conflict);

        var url = string.IsNullOrWhiteSpace(sandbox.Value.VccCallbackUrl)
            ? new Uri(addresses.PortalAddress(), "webhooks/vcc/payment")
            : new Uri(sandbox.Value.VccCallbackUrl, UriKind.Absolute);
        var attempt = await callbacks.PostAsync(
            "vcc", url, Callback(session, outcome).ToJsonString(),
            configuration["Webhooks:Vcc:Username"], configuration["Webhooks:Vcc:Password"], http.RequestAborted);
        var answer = attempt.StatusCode is { } code
            ? $"answered HTTP {code.ToString(CultureInfo.InvariantCulture)}"
            : $"could not be reached ({SandboxJson.Html(attempt.Error)})";
        return SandboxJson.Page("Secure payment form (sandbox)",
            $"<p data-test=\"outcome\">Payment <strong>{SandboxJson.Html(outcome)}</strong>. The callback to <code>{SandboxJson.Html(attempt.Url)}</code> {answer}.</p>");
    }

    /// <summary>The async payment callback of 000_1b26de2dcbe4dfac.txt: masked card (trailing 4, length, expiry), minor units, lower-case currency.</summary>
    internal static JsonObject Callback(VccSandboxSession session, string outcome)
    {
        var data = session.PaymentData;
        var successful = outcome == "successful";
        var name = $"{data.GetValueOrDefault("FirstName")} {data.GetValueOrDefault("Surname")}".Trim();
        return new JsonObject
        {
            ["payment"] = new JsonObject
            {
                ["payment_type"] = "creditcard",
                ["card_number_trailing"] = CardTrailing,
                ["card_number_length"] = CardLength,
                ["card_expiration"] = CardExpiration,
                ["payment_gw"] = "sandboxgw",
                ["transactionid"] = Guid.NewGuid().ToString("N"),
                ["amount"] = session.AmountMinor,
                ["currency"] = session.Currency.ToLowerInvariant(),
                ["status"] = outcome,
                ["status_message"] = successful ? "cde.success" : "cde.declined",
                ["vposid"] = null,
                ["token"] = successful ? "vcc_tok_" + session.ProviderSessionGuid.Replace("-", "", StringComparison.Ordinal) : null,
            },
            ["in_call"] = !session.SkipCallTransfer,
            ["uuid"] = session.CallUuid,
            ["projectid"] = session.AccountConfigurationId ?? 1,
            ["numberid"] = 1,
            ["username"] = session.AgentId ?? "sandbox.agent",
            ["userid"] = 1,
            ["teamids"] = new JsonArray(1),
            ["client_data"] = new JsonObject
            {
                ["email"] = data.GetValueOrDefault("Email") ?? "",
                ["name"] = name,
                ["amount"] = session.AmountMinor.ToString(CultureInfo.InvariantCulture),
                ["merchant_reference_code"] = data.GetValueOrDefault("MerchantReferenceCode"),
                ["contacts"] = new JsonObject
                {
                    ["1"] = new JsonObject { ["name"] = name, ["phone"] = null, ["email"] = data.GetValueOrDefault("Email"), ["title"] = null },
                },
            },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        };
    }
}
