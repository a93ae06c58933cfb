using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Gateways;
using Portal.Domain.Refunds;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Refunds;

/// <summary>The refund API refuses a reused key with other words, and an amount sent as text.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RefundApiHardeningTests(GatewaySandboxFixture fixture)
{
    private IDbContextFactory<PortalDbContext> Db => fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    private Task<HttpClient> AdminAsync() => TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

    private async Task<(string PaymentId, string TransactionId)> ChargedAsync(long amount)
    {
        var charge = await fixture.Service<IPaymentGateway>().ChargeTokenAsync(
            new ChargeRequest(NewKey(), amount, "EUR", "Order for API hardening tests", SandboxTokens.Approve, TokenChargeKind.RecurringFirst));
        var uid = Assert.IsType<GatewayResult.Approved>(charge).GatewayTransactionId;
        return await SeedConfirmedAsync(Db, amount, DateTime.UtcNow.AddMinutes(-1), "ecomcharge", uid);
    }

    private static object Body(string paymentId, string transactionId, string key, string reason, string? note) =>
        new { paymentId, transactionId, amount = 1_000L, currency = "EUR", reason, note, idempotencyKey = key };

    private async Task<int> RefundsOfAsync(string transactionId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Set<Refund>().CountAsync(r => r.TransactionId == transactionId);
    }

    [Theory]
    [InlineData("duplicate", null, "fraudulent", null)]
    [InlineData("requested_by_customer", "asked on the phone", "requested_by_customer", "asked by email")]
    [InlineData("requested_by_customer", null, "requested_by_customer", "a note added later")]
    public async Task PostRefund_SameKeyOtherReasonOrNote_409AndNoSecondRefund(string reason, string? note, string otherReason, string? otherNote)
    {
        var (paymentId, transactionId) = await ChargedAsync(5_000);
        using var admin = await AdminAsync();
        var key = NewKey();

        var created = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, key, reason, note));
        var reused = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, key, otherReason, otherNote));
        var sameAgain = await admin.PostAsJsonAsync("/api/refunds", Body(paymentId, transactionId, key, reason, note is null ? null : "  " + note + " "));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("another reason or note needs a new key", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sameAgain.StatusCode);
        Assert.Equal(1, await RefundsOfAsync(transactionId));
    }

    [Theory]
    [InlineData("\"100\"")]
    [InlineData("\"1e2\"")]
    [InlineData("100.5")]
    public async Task PostRefund_AmountNotAWholeJsonNumber_400WithMessageNothingStored(string amount)
    {
        var (paymentId, transactionId) = await ChargedAsync(5_000);
        using var admin = await AdminAsync();
        var json = $$"""{"paymentId":"{{paymentId}}","transactionId":"{{transactionId}}","amount":{{amount}},"currency":"EUR","reason":"duplicate","idempotencyKey":"{{NewKey()}}"}""";

        var response = await admin.PostAsync("/api/refunds", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("amount must be a JSON number of minor units", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await RefundsOfAsync(transactionId));
    }
}

/// <summary>A card number pasted into a refund note is masked before the note is stored, audited or sent.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RefundNoteCardDataTests(GatewaySandboxFixture fixture)
{
    [Fact]
    public async Task PostRefund_CardNumberInNote_StoredAndAuditedMasked()
    {
        var db = fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var charge = await fixture.Service<IPaymentGateway>().ChargeTokenAsync(
            new ChargeRequest(NewKey(), 5_000, "EUR", "Order for note masking", SandboxTokens.Approve, TokenChargeKind.RecurringFirst));
        var uid = Assert.IsType<GatewayResult.Approved>(charge).GatewayTransactionId;
        var (paymentId, transactionId) = await SeedConfirmedAsync(db, 5_000, DateTime.UtcNow.AddMinutes(-1), "ecomcharge", uid);
        using var admin = await TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        var key = NewKey();
        var body = new { paymentId, transactionId, amount = 1_000L, currency = "EUR", reason = "other", note = "customer read 4111 1111 1111 1111 on the phone", idempotencyKey = key };

        var created = await admin.PostAsJsonAsync("/api/refunds", body);
        var replay = await admin.PostAsJsonAsync("/api/refunds", body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.DoesNotContain("4111 1111 1111 1111", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var context = await db.CreateDbContextAsync();
        var refund = await context.Set<Refund>().SingleAsync(r => r.IdempotencyKey == key);
        Assert.Equal("customer read 411111******1111 on the phone", refund.Note);
        var audits = await context.Set<Portal.Domain.Audit.AuditEntry>().Where(a => a.PaymentId == paymentId).ToListAsync();
        Assert.NotEmpty(audits);
        Assert.All(audits, a => Assert.False(Portal.Domain.Webhooks.PayloadMasker.ContainsCardNumber($"{a.Before} {a.After} {a.Details}")));
    }
}
