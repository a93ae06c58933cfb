using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Persistence;
using Portal.Tests.Domain.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>The admin's operational pages: jobs and webhooks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OperationsBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Jobs_AdminRunsStatusPollerNow_HistoryShowsSucceededRun()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/jobs");

        await Assertions.Expect(page.Locator("[data-testid=jobs-grid]")).ToContainTextAsync("Status poller");
        await page.ClickAsync("[data-testid=run-status-poller]");

        await Assertions.Expect(page.Locator("[data-testid=job-history]")).ToContainTextAsync("Succeeded", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=job-history]")).ToContainTextAsync("manual:admin@portal.local");
        await BrowserFixture.ScreenshotAsync(page, "jobs");
    }

    [Fact]
    public async Task Webhooks_FailedCallbackReprocessedAfterTheChargeIsKnown_ShowsApplied()
    {
        // An eComCharge notification about a charge the portal does not know yet: stored as Failed.
        var uid = "u-" + Guid.NewGuid().ToString("N")[..12];
        var tracking = "trk-" + Guid.NewGuid().ToString("N");
        var body = JsonNode.Parse(InboundParserTests.Sample("ecomcharge-successful.json"))!;
        body["transaction"]!["uid"] = uid;
        body["transaction"]!["tracking_id"] = tracking;
        body["transaction"]!["amount"] = 700;
        body["transaction"]!["currency"] = "EUR";
        var answer = await PostWebhookAsync("/webhooks/ecomcharge", "sandbox-shop:sandbox-secret-key", body);
        Assert.Equal("failed", answer["outcome"]!.GetValue<string>());
        var deliveryId = answer["deliveryId"]!.GetValue<long>();

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/webhooks?status=Failed");
        // The delivery's own row (the one with the expand button), not the payload row under it.
        var row = page.Locator("tr", new() { HasTextString = uid, Has = page.Locator("[data-testid=webhook-expand]") });
        await Assertions.Expect(row).ToContainTextAsync("Failed");
        await Assertions.Expect(row.Locator("[data-testid=webhook-error]")).Not.ToBeEmptyAsync();
        await row.Locator("[data-testid=webhook-expand]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=payload]")).ToContainTextAsync(uid);
        await Assertions.Expect(page.Locator("[data-testid=payload]")).Not.ToContainTextAsync("40bd001563085fc3");
        await BrowserFixture.ScreenshotAsync(page, "webhooks");

        // The charge the callback was about gets recorded; reprocessing now applies it.
        await SeedChargeAsync(tracking);
        await page.ClickAsync($"[data-testid=reprocess-{deliveryId}]");
        await BrowserFixture.ScreenshotAsync(page, "webhooks-reprocess-confirm");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Reprocess" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Callback applied");
        // The list is filtered to failed deliveries: the applied one leaves it.
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Webhooks_CardGatewayRefundOfTheSameAmountTwice_FlaggedForACheckWithTheGateway()
    {
        var txid = Guid.NewGuid().ToString("N");
        JsonNode CardGateway(string status)
        {
            var n = JsonNode.Parse(InboundParserTests.Sample("cardgateway-success.json"))!;
            n["payment"]!["transactionId"] = txid;
            n["payment"]!["status"] = status;
            return n;
        }
        const string card = "cardgateway-sandbox:cardgateway-sandbox-secret";
        Assert.Equal("applied", (await PostWebhookAsync("/webhooks/cardgateway", card, CardGateway("success")))["outcome"]!.GetValue<string>());
        Assert.Equal("applied", (await PostWebhookAsync("/webhooks/cardgateway", card, CardGateway("refunded")))["outcome"]!.GetValue<string>());
        Assert.Equal("duplicate", (await PostWebhookAsync("/webhooks/cardgateway", card, CardGateway("refunded")))["outcome"]!.GetValue<string>());
        Assert.Equal("duplicate", (await PostWebhookAsync("/webhooks/cardgateway", card, CardGateway("success")))["outcome"]!.GetValue<string>());

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, "/webhooks?q=" + txid);

        var refund = page.Locator("tr", new() { HasTextString = "reported refunded" });
        await Assertions.Expect(refund.Locator("[data-testid=webhook-replays]")).ToContainTextAsync("Received once more");
        await Assertions.Expect(refund.Locator("[data-testid=webhook-check]")).ToContainTextAsync("Check with the gateway");
        var charge = page.Locator("tr", new() { HasTextString = "reported success" });
        await Assertions.Expect(charge.Locator("[data-testid=webhook-replays]")).ToContainTextAsync("Received once more");
        await Assertions.Expect(charge.Locator("[data-testid=webhook-check]")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "webhooks-replays");
    }

    private async Task<JsonNode> PostWebhookAsync(string path, string credentials, JsonNode body)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task SeedChargeAsync(string trackingId)
    {
        var at = DateTime.UtcNow.AddMinutes(-1);
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = at });
        payment.AddLine(new NewPaymentLine { UnitAmount = 700 });
        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            RequestedAmount = 700,
            TrackingId = trackingId,
        }, "test");
        await using var db = await fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Add(payment);
        await db.SaveChangesAsync();
    }
}
