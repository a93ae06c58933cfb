using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;
using Portal.Persistence;

namespace Portal.Tests.Domain.Refunds;

/// <summary>A scripted refund gateway: answers from queues, remembers every call.</summary>
public sealed class FakeRefundGateway : IRefundGateway, IRefundGateways
{
    private readonly ConcurrentQueue<Func<RefundCall, GatewayResult>> _refunds = new();
    private readonly ConcurrentQueue<Func<RefundCall, GatewayResult>> _queries = new();

    public ConcurrentQueue<RefundCall> RefundCalls { get; } = new();

    public ConcurrentQueue<RefundCall> QueryCalls { get; } = new();

    /// <summary>Runs during the refund call, before it answers (to look at the database mid-call).</summary>
    public Func<RefundCall, Task>? During { get; set; }

    /// <summary>Gateway ids this fake refuses to handle, with the reason.</summary>
    public Dictionary<string, string> NotRefundable { get; } = new(StringComparer.OrdinalIgnoreCase);

    public FakeRefundGateway AnswerRefund(Func<RefundCall, GatewayResult> answer)
    {
        _refunds.Enqueue(answer);
        return this;
    }

    public FakeRefundGateway AnswerQuery(Func<RefundCall, GatewayResult> answer)
    {
        _queries.Enqueue(answer);
        return this;
    }

    public static GatewayResult Approve(RefundCall c) =>
        new GatewayResult.Approved("gw-refund-" + c.IdempotencyKey, c.AmountMinor, c.Currency) { Message = "ok", TransactionType = "refund" };

    public static GatewayResult Decline(RefundCall c) =>
        new GatewayResult.Declined("gw-refund-" + c.IdempotencyKey, "Refund declined by the acquirer", "05", true);

    public static GatewayResult SoftDecline(RefundCall c) =>
        new GatewayResult.Declined("gw-refund-" + c.IdempotencyKey, "Issuer unavailable, try again later", "91", false);

    public static GatewayResult Lost(RefundCall c) => new GatewayResult.Unknown("timeout");

    public static GatewayResult NotFound(RefundCall c) => new GatewayResult.NotFound("no transaction with this tracking id");

    public IRefundGateway? For(RefundTarget target, out string? notRefundableReason)
    {
        if (target.GatewayId is { } id && NotRefundable.TryGetValue(id, out var reason))
        {
            notRefundableReason = reason;
            return null;
        }
        notRefundableReason = null;
        return this;
    }

    public async Task<GatewayResult> RefundAsync(RefundCall call, CancellationToken cancellationToken)
    {
        RefundCalls.Enqueue(call);
        if (During is not null) await During(call);
        return _refunds.TryDequeue(out var answer) ? answer(call) : Approve(call);
    }

    public Task<GatewayResult> QueryAsync(RefundCall call, CancellationToken cancellationToken)
    {
        QueryCalls.Enqueue(call);
        return Task.FromResult(_queries.TryDequeue(out var answer) ? answer(call) : Lost(call));
    }
}

public static class RefundTestData
{
    public static readonly Actor Admin = Actor.User("user-admin-1", "admin@portal.local");

    public static RefundService Service(IDbContextFactory<DbContext> db, IRefundGateways gateways, TimeProvider clock, RefundOptions? options = null,
        Portal.Domain.Security.IMoneyMovementGuard? guard = null) =>
        new(db, gateways, new AuditTrail(clock), clock, Options.Create(options ?? new RefundOptions()), guard ?? Portal.Domain.Security.AllowAllMoneyMovement.Instance,
            NullLogger<RefundService>.Instance);

    /// <summary>A payment with one captured transaction of <paramref name="amount"/>; returns (paymentId, transactionId).</summary>
    public static async Task<(string PaymentId, string TransactionId)> SeedConfirmedAsync(IDbContextFactory<PortalDbContext> factory, long amount,
        DateTime createdAtUtc, string gatewayId = "ecomcharge", string? gatewayUid = null, Currency? currency = null,
        PaymentSource source = PaymentSource.Portal)
    {
        var payment = Payment.Create(new NewPayment { Currency = currency ?? Currency.EUR, Source = source, CreatedAtUtc = createdAtUtc });
        payment.AddLine(new NewPaymentLine { UnitAmount = amount, ProductName = "Order" });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = createdAtUtc,
            Gateway = new GatewayRef(gatewayId, gatewayId),
            Status = TransactionStatus.Confirmed,
            RequestedAmount = amount,
            ProcessedAmount = amount,
            ConfirmedAmount = amount,
            ExternalId1 = gatewayUid ?? "uid-" + Guid.NewGuid().ToString("N")[..12],
        }, "test");
        await using var db = await factory.CreateDbContextAsync();
        db.Add(payment);
        await db.SaveChangesAsync();
        return (payment.Id, t.Id);
    }

    public static async Task<PaymentTransaction> TransactionAsync(IDbContextFactory<PortalDbContext> factory, string paymentId, string transactionId)
    {
        await using var db = await factory.CreateDbContextAsync();
        var payment = await db.Set<Payment>().AsNoTracking().WithAggregate().SingleAsync(p => p.Id == paymentId);
        return payment.FindTransaction(transactionId);
    }

    public static async Task<Payment> PaymentAsync(IDbContextFactory<PortalDbContext> factory, string paymentId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<Payment>().AsNoTracking().WithAggregateAndHistory().SingleAsync(p => p.Id == paymentId);
    }

    public static async Task<List<Refund>> RefundsAsync(IDbContextFactory<PortalDbContext> factory, string transactionId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<Refund>().AsNoTracking().Where(r => r.TransactionId == transactionId).OrderBy(r => r.CreatedAtUtc).ToListAsync();
    }

    public static async Task<List<AuditEntry>> AuditAsync(IDbContextFactory<PortalDbContext> factory, string paymentId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<AuditEntry>().AsNoTracking().Where(a => a.PaymentId == paymentId).OrderBy(a => a.Id).ToListAsync();
    }

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    public static RequestRefund Request(string paymentId, string transactionId, long amount, string? key = null, string currency = "EUR",
        RefundReason reason = RefundReason.RequestedByCustomer, string? note = null) =>
        new(paymentId, transactionId, amount, currency, reason, note, key ?? NewKey());
}
