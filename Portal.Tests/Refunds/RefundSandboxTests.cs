using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Refunds;
using Portal.Gateways.Voucherly;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Sandbox.Voucherly;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Refunds;

/// <summary>
/// The refund service through the real gateway adapters and the sandbox over loopback, on its
/// own real SQLite file; the sandbox's own counters prove what reached the "gateway".
/// </summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RefundSandboxTests(GatewaySandboxFixture fixture) : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    private EComChargeSandboxStore Sandbox => fixture.Service<EComChargeSandboxStore>();

    private IRefundGateways Gateways => fixture.Server.LiveServices.GetRequiredService<IRefundGateways>();

    private RefundService Service() => Portal.Tests.Domain.Refunds.RefundTestData.Service(_db, Gateways, TimeProvider.System);

    public void Dispose() => _db.Dispose();

    /// <summary>A real sandbox charge, and the portal's record of it as a captured eComCharge transaction.</summary>
    private async Task<(string PaymentId, string TransactionId, string Uid)> ChargedAsync(long amount, string token = SandboxTokens.Approve)
    {
        var charge = await fixture.Service<IPaymentGateway>().ChargeTokenAsync(
            new ChargeRequest(NewKey(), amount, "EUR", "Order for refund tests", token, TokenChargeKind.RecurringFirst));
        var uid = Assert.IsType<GatewayResult.Approved>(charge).GatewayTransactionId;
        var (paymentId, transactionId) = await SeedConfirmedAsync(_db, amount, DateTime.UtcNow.AddMinutes(-1), "ecomcharge", uid);
        return (paymentId, transactionId, uid);
    }

    [Fact]
    public async Task RequestAsync_TwentyParallelOfSixtyAgainstConfirmedHundred_OneRefundAndAtMostOneGatewayCallPerKey()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(10_000);
        var service = Service();
        var shared = NewKey();
        var keys = Enumerable.Repeat(shared, 10).Concat(Enumerable.Range(0, 10).Select(_ => NewKey())).ToList();
        using var go = new ManualResetEventSlim(false);

        var tasks = keys.Select(key => Task.Run(async () =>
        {
            go.Wait();
            try
            {
                var result = await service.RequestAsync(Request(paymentId, transactionId, 6_000, key), Admin);
                return (Key: key, Result: (RefundRequestResult?)result, Refusal: (RefundRefusedException?)null);
            }
            catch (RefundRefusedException e)
            {
                return (Key: key, Result: null, Refusal: e);
            }
        })).ToList();
        go.Set();
        var answers = await Task.WhenAll(tasks);

        // Never too much: exactly one refund of 60.00 exists, in the portal and at the gateway.
        var refunds = await RefundsAsync(_db, transactionId);
        var winner = Assert.Single(refunds);
        Assert.Equal(RefundStatus.Succeeded, winner.Status);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal((6_000L, 0L), (t.RefundedAmount, t.RefundReservedAmount));
        Assert.True(t.RefundedAmount <= 10_000);
        Assert.Equal(6_000, Sandbox.RefundedAmountOf(uid));
        // At most one gateway call per key, and one in all.
        Assert.All(keys.Distinct(), k => Assert.True(Sandbox.RefundRequestCount(k) <= 1, $"key {k} reached the gateway {Sandbox.RefundRequestCount(k)} times"));
        Assert.Single(Sandbox.Requests, r => r.Kind == "refund" && r.ParentUid == uid);
        Assert.Equal(1, Sandbox.RefundRequestCount(winner.IdempotencyKey));
        // Everyone else got the winner back (same key) or a clear refusal.
        Assert.Single(answers, a => a.Result is { Created: true });
        foreach (var a in answers.Where(a => a.Result is not { Created: true }))
        {
            if (a.Result is { } replay)
            {
                Assert.Equal(winner.IdempotencyKey, a.Key);
                Assert.Equal(winner.Id, replay.Refund.Id);
            }
            else
            {
                Assert.Equal(RefundRefusal.Conflict, a.Refusal!.Refusal);
                Assert.Contains("is more than the 40.00 EUR still refundable", a.Refusal.Message);
            }
        }
    }

    [Fact]
    public async Task RequestAsync_SandboxRefundTimesOut_PendingVerificationThenJobSucceedsByQueryWithOneRefundRequest()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(5_000, SandboxTokens.RefundTimesOut);
        var service = Service();

        var first = await service.RequestAsync(Request(paymentId, transactionId, 2_000), Admin);

        Assert.Equal(RefundStatus.PendingVerification, first.Refund.Status);
        Assert.Contains("timeout", first.Refund.GatewayMessage);
        var verified = await service.VerifyOpenRefundsAsync(50);
        Assert.True(verified.Succeeded >= 1);
        var refund = Assert.Single(await RefundsAsync(_db, transactionId));
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.NotNull(refund.GatewayRefundId);
        Assert.Equal(1, Sandbox.RefundRequestCount(refund.IdempotencyKey));
        Assert.Single(Sandbox.Requests, r => r.Kind == "refund" && r.ParentUid == uid);
        Assert.Equal(2_000, Sandbox.RefundedAmountOf(uid));
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal((2_000L, 0L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.RefundReservedAmount, t.Status));
    }

    [Fact]
    public async Task RequestAsync_SandboxRefundFails_FailedAmountFreedTransactionImpossibleRefundWithTheGatewaysMessage()
    {
        var (paymentId, transactionId, _) = await ChargedAsync(3_000, SandboxTokens.RefundFails);

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 3_000), Admin);

        Assert.Equal(RefundStatus.Failed, result.Refund.Status);
        Assert.Contains("Refund declined by the acquirer", result.Refund.GatewayMessage);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal(TransactionStatus.ImpossibleRefund, t.Status);
        Assert.Contains("Refund declined by the acquirer", t.Error!.ExternalMessage);
        Assert.Equal((0L, 0L), (t.RefundedAmount, t.RefundReservedAmount));
    }

    [Fact]
    public async Task RequestAsync_PartialThenRest_SandboxRefundsExactlyTheConfirmedAmount()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(10_000);
        var service = Service();

        await service.RequestAsync(Request(paymentId, transactionId, 2_500), Admin);
        var quote = await service.QuoteAsync(paymentId, transactionId);
        var rest = await service.RequestAsync(Request(paymentId, transactionId, quote.Refundable), Admin);

        Assert.Equal(RefundStatus.Succeeded, rest.Refund.Status);
        Assert.Equal(7_500, rest.Refund.Amount);
        Assert.Equal(10_000, Sandbox.RefundedAmountOf(uid));
        var payment = await PaymentAsync(_db, paymentId);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.Equal(TransactionStatus.Refunded, payment.Transactions[0].Status);
    }

    [Theory]
    [InlineData("vcc", "VCC")]
    [InlineData("cardgateway", "card gateway")]
    public void Gateways_VccAndCardGateway_NotRefundableFromThePortalWithAReason(string gatewayId, string named)
    {
        var gateway = Gateways.For(new RefundTarget("pay_x", PaymentSource.Vcc, "txn_x", gatewayId, gatewayId, "ext-1"), out var reason);

        Assert.Null(gateway);
        Assert.Contains(named, reason);
        Assert.Contains("no refund API", reason);
    }

    [Fact]
    public async Task RequestAsync_VoucherlyPaymentImportedBySync_RefundedThroughVoucherlyAndResyncAgrees()
    {
        var voucherlyId = "vly_refund_" + Guid.NewGuid().ToString("N")[..10];
        var transactionId = Guid.NewGuid().ToString();
        fixture.Service<VoucherlySandboxStore>().Put(new VoucherlyPayment
        {
            Id = voucherlyId, Tenant = "sand", Mode = "Payment", Status = "Confirmed", CustomerEmail = "refund@example.com",
            TotalAmount = 2_000, DiscountAmount = 0, FinalAmount = 2_000, PaidAmount = 2_000, PaidVoucherAmount = 0, Amount = 0,
            Transactions =
            [
                new() { Id = transactionId, PaymentGatewayId = "pg_card", PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0 },
                    ConfirmedAmount = 2_000, RefundedAmount = 0, Amount = 2_000, RequestedAmount = 2_000, Currency = "EUR", Status = "Confirmed" },
            ],
            Discounts = [],
            Lines = [new() { Quantity = 1, UnitAmount = 2_000, FinalAmount = 2_000, ProductName = "Box", IsFood = false, IsGift = false }],
        });
        var sync = new VoucherlySync(_db, fixture.Service<IVoucherlyPayments>(), TimeProvider.System, NullLogger<VoucherlySync>.Instance);
        var imported = await sync.ImportAsync(voucherlyId, CancellationToken.None);
        var paymentId = imported.PaymentId!;

        var result = await Service().RequestAsync(Request(paymentId, transactionId, 500), Admin);

        Assert.Equal(RefundStatus.Succeeded, result.Refund.Status);
        var remote = Assert.IsType<VoucherlyResult.Ok>(await fixture.Service<VoucherlyClient>().GetPaymentAsync(voucherlyId));
        Assert.Equal(500, remote.Payment.Transactions![0].RefundedAmount);
        Assert.Equal(500, (await TransactionAsync(_db, paymentId, transactionId)).RefundedAmount);
        await sync.ImportAsync(voucherlyId, CancellationToken.None);
        var t = await TransactionAsync(_db, paymentId, transactionId);
        Assert.Equal((500L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.Status));
    }
}
