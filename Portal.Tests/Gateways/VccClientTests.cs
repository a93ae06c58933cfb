using System.Net;
using System.Text.Json.Nodes;
using Portal.Gateways.Vcc;
using Portal.Sandbox;

namespace Portal.Tests.Gateways;

/// <summary>The VCC session adapter and the sandbox's secure form, over real HTTP.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class VccClientTests(GatewaySandboxFixture fixture)
{
    private VccClient Client => fixture.Service<VccClient>();

    private async Task<VccSession> CreateSessionAsync(string reference)
    {
        var data = VccPaymentData.Create("John", "Smith", "john@example.com", 1240, "GBP", reference);
        var result = await Client.CreateSessionAsync("agent1234", data, skipCallTransfer: true);
        return Assert.IsType<VccSessionResult.Created>(result).Session;
    }

    [Fact]
    public async Task CreateSession_Sandbox_ReturnsIframeUrlOfTheSandboxForm()
    {
        var session = await CreateSessionAsync("ref-1");

        Assert.True(Guid.TryParse(session.SessionGuid, out _));
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "sandbox/vcc/form/" + session.ProviderSessionGuid).AbsoluteUri, session.IframeUrl);
        Assert.False(string.IsNullOrEmpty(session.AgentAccessToken));
        Assert.False(string.IsNullOrEmpty(session.AgentRefreshToken));
        Assert.DoesNotContain(session.AgentAccessToken!, session.ToString());
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(session.AgentAccessToken!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateSession_InvalidAmount_Rejected()
    {
        var data = new Dictionary<string, string> { ["Amount"] = "12.405", ["Currency"] = "GBP" };

        var result = await Client.CreateSessionAsync("agent1234", data);

        var rejected = Assert.IsType<VccSessionResult.Rejected>(result);
        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("paymentData.Amount", rejected.Message);
    }

    [Fact]
    public async Task SandboxForm_Open_ShowsTheAmountAndPayAndDeclineButtons()
    {
        var session = await CreateSessionAsync("ref-form");
        using var http = fixture.RawClient();

        var response = await http.GetAsync(new Uri(session.IframeUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("12.40 GBP", html);
        Assert.Contains(">Pay</button>", html);
        Assert.Contains(">Decline</button>", html);
    }

    [Fact]
    public async Task SandboxForm_Pay_PostsTheAsyncCallbackToTheWebhookWithMaskedCard()
    {
        var session = await CreateSessionAsync("ref-pay");
        using var http = fixture.RawClient();

        var response = await http.PostAsync(new Uri(session.IframeUrl + "/pay"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempt = Assert.Single(fixture.Service<SandboxCallbacks>().Attempts,
            a => a.Source == "vcc" && a.Body.Contains("ref-pay"));
        // The webhook is someone else's endpoint: assert the attempt, not the answer.
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "webhooks/vcc/payment").AbsoluteUri, attempt.Url);
        Assert.Null(attempt.Error);
        Assert.Equal("vcc-sandbox", attempt.BasicUser);
        var body = JsonNode.Parse(attempt.Body)!;
        var payment = body["payment"]!;
        Assert.Equal("successful", payment["status"]!.GetValue<string>());
        Assert.Equal(1240, payment["amount"]!.GetValue<long>());
        Assert.Equal("gbp", payment["currency"]!.GetValue<string>());
        Assert.Equal("1111", payment["card_number_trailing"]!.GetValue<string>());
        Assert.Equal(16, payment["card_number_length"]!.GetValue<int>());
        Assert.Equal("1230", payment["card_expiration"]!.GetValue<string>());
        Assert.Equal("agent1234", body["username"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["uuid"]!.GetValue<string>(), out _));
        Assert.Contains(attempt.StatusCode?.ToString() ?? "unreachable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SandboxForm_DeclineThenPay_PostsUnsuccessfulOnceAndRefusesTheSecondClick()
    {
        var session = await CreateSessionAsync("ref-decline");
        using var http = fixture.RawClient();

        var declined = await http.PostAsync(new Uri(session.IframeUrl + "/decline"), null);
        var again = await http.PostAsync(new Uri(session.IframeUrl + "/pay"), null);

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var attempt = Assert.Single(fixture.Service<SandboxCallbacks>().Attempts, a => a.Body.Contains("ref-decline"));
        Assert.Equal("unsuccessful", JsonNode.Parse(attempt.Body)!["payment"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void PaymentData_Create_FormatsTheAmountInTheCurrencysExponent()
    {
        Assert.Equal("12.40", VccPaymentData.Create(null, null, null, 1240, "gbp", "r")["Amount"]);
        Assert.Equal("GBP", VccPaymentData.Create(null, null, null, 1240, "gbp", "r")["Currency"]);
        Assert.Equal("1240", VccPaymentData.Create(null, null, null, 1240, "JPY", "r")["Amount"]);
        Assert.Equal("1.240", VccPaymentData.Create(null, null, null, 1240, "BHD", "r")["Amount"]);
    }
}
