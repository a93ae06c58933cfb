using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Refunds;

/// <summary><c>POST /api/refunds</c> on the loopback portal with the sandbox: roles, status codes, idempotency.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RefundApiTests(GatewaySandboxFixture fixture)
{
    private IDbContextFactory<PortalDbContext> Db => fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    private Task<HttpClient> AdminAsync() => TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

    private async Task<HttpClient> StaffAsync()
    {
        await TestUsers.EnsureUserAsync(fixture.Server.LiveServices, TestUsers.StaffEmail, TestUsers.StaffPassword, Roles.Staff);
        return await TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, TestUsers.StaffEmail, TestUsers.StaffPassword);
    }

    private async Task<(string PaymentId, string TransactionId, string Uid)> ChargedAsync(long amount)
    {
        var charge = await fixture.Service<IPaymentGateway>().ChargeTokenAsync(
            new ChargeRequest(NewKey(), amount, "EUR", "Order for API refund tests", SandboxTokens.Approve, TokenChargeKind.RecurringFirst));
        var uid = Assert.IsType<GatewayResult.Approved>(charge).GatewayTransactionId;
        var (paymentId, transactionId) = await SeedConfirmedAsync(Db, amount, DateTime.UtcNow.AddMinutes(-1), "ecomcharge", uid);
        return (paymentId, transactionId, uid);
    }

    private static object Body(string paymentId, string transactionId, long amount, string key, string currency = "EUR", string reason = "duplicate") =>
        new { paymentId, transactionId, amount, currency, reason, note = (string?)null, idempotencyKey = key };

    [Fact]
    public async Task PostRefund_Admin_201ThenSameKey200WithTheSameRefund()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(4_000);
        using var admin = await AdminAsync();
        var key = NewKey();

        var created = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, 1_500, key));
        var replay = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, 1_500, key));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var first = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var second = JsonNode.Parse(await replay.Content.ReadAsStringAsync())!;
        Assert.Equal("succeeded", first["status"]!.GetValue<string>());
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(PortalAppFactory.AdminEmail, first["requestedBy"]!.GetValue<string>());
        Assert.Equal(1, fixture.Service<EComChargeSandboxStore>().RefundRequestCount(key));
        Assert.Equal(1_500, fixture.Service<EComChargeSandboxStore>().RefundedAmountOf(uid));
        await using var db = await Db.CreateDbContextAsync();
        var audit = await db.Set<AuditEntry>().Where(a => a.PaymentId == paymentId).ToListAsync();
        Assert.Contains(audit, a => a.Action == "refund.requested" && a.Origin == "api");
    }

    [Fact]
    public async Task PostRefund_ChargeTheSandboxNeverSaw_IsRecalledFromThePortalsRecordsAndRefunded()
    {
        // Like demo data, or a charge made before the portal (and its in-memory sandbox) restarted.
        var uid = "7777-" + Guid.NewGuid().ToString("N")[..10];
        var (paymentId, transactionId) = await SeedConfirmedAsync(Db, 5_000, DateTime.UtcNow.AddDays(-3), "ecomcharge", uid);
        var store = fixture.Service<EComChargeSandboxStore>();
        Assert.Null(store.StatusOf(uid));
        using var admin = await AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, 2_000, NewKey()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("succeeded", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal(2_000, store.RefundedAmountOf(uid));
        var query = Assert.IsType<GatewayResult.Approved>(await fixture.Service<IPaymentGateway>().QueryAsync(uid));
        Assert.Equal(5_000, query.AmountMinor);
        Assert.IsType<GatewayResult.NotFound>(await fixture.Service<IPaymentGateway>().QueryAsync("7777-neverrecorded"));
    }

    [Fact]
    public async Task PostRefund_Staff_403AndNothingHappens()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(4_000);
        using var staff = await StaffAsync();
        var key = NewKey();

        var response = await staff.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, 1_000, key));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, fixture.Service<EComChargeSandboxStore>().RefundRequestCount(key));
        await using var db = await Db.CreateDbContextAsync();
        Assert.False(await db.Set<Refund>().AnyAsync(r => r.TransactionId == transactionId));
        Assert.Equal(0, fixture.Service<EComChargeSandboxStore>().RefundedAmountOf(uid));
        // The refused attempt itself is in the audit log, with who tried.
        var refused = Assert.Single(await db.Set<AuditEntry>().Where(a => a.PaymentId == paymentId && a.Action == "refund.refused").ToListAsync());
        Assert.Contains("Only an admin can refund", refused.Details, StringComparison.Ordinal);
        Assert.Equal("api", refused.Origin);
    }

    [Fact]
    public async Task PostRefund_SignedOut_401NotARedirect()
    {
        using var anonymous = fixture.RawClient();

        var response = await anonymous.PostAsJsonAsync("/api/refunds", Body("pay_x", "txn_x", 1, NewKey()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostRefund_MoreThanRefundable_409WithClearMessage()
    {
        var (paymentId, transactionId, _) = await ChargedAsync(4_000);
        using var admin = await AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, 4_001, NewKey()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("is more than the 40.00 EUR still refundable", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, "EUR", "duplicate", HttpStatusCode.UnprocessableEntity, "more than 0")]
    [InlineData(100, "USD", "duplicate", HttpStatusCode.UnprocessableEntity, "transaction's currency")]
    [InlineData(100, "EUR", "because", HttpStatusCode.UnprocessableEntity, "reason must be one of")]
    [InlineData(100, "EUR", "other", HttpStatusCode.UnprocessableEntity, "write a note")]
    public async Task PostRefund_InvalidFields_422WithClearMessage(long amount, string currency, string reason, HttpStatusCode expected, string message)
    {
        var (paymentId, transactionId, _) = await ChargedAsync(1_000);
        using var admin = await AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, amount, NewKey(), currency, reason));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostRefund_UnknownTransaction_404()
    {
        using var admin = await AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/refunds", Body("pay_nope", "txn_nope", 100, NewKey()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostRefund_BrokenJsonOrWrongMediaType_400And415()
    {
        using var admin = await AdminAsync();

        var broken = await admin.PostAsync("/api/refunds", new StringContent("{\"amount\": ", Encoding.UTF8, "application/json"));
        var form = await admin.PostAsync("/api/refunds", new StringContent("amount=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }
}
