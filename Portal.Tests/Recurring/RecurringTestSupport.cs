using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Recurring;

/// <summary>A reversible stand-in for Data Protection (the domain only stores what it is given).</summary>
public sealed class TestTokenProtector : ICardTokenProtector
{
    public string Protect(string token) => "protected:" + new string(token.Reverse().ToArray());

    public string Unprotect(string protectedToken) =>
        protectedToken.StartsWith("protected:", StringComparison.Ordinal)
            ? new string(protectedToken["protected:".Length..].Reverse().ToArray())
            : throw new InvalidOperationException("not protected by this protector");
}

/// <summary>
/// A card gateway in memory that behaves like one: the first charge with a tracking id decides,
/// a repeat returns that first result (no second charge), and a query by tracking id finds it.
/// The answer the caller gets is scripted by token: <c>approve</c>, <c>soft</c>, <c>hard</c>,
/// <c>lost</c> (charged, but the answer is lost), <c>pending</c>.
/// </summary>
public sealed class FakeTokenGateway : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, GatewayResult> _charged = new(StringComparer.Ordinal);
    private int _uid;

    public string Name => "ecomcharge";

    public ConcurrentQueue<ChargeRequest> Charges { get; } = new();

    public ConcurrentQueue<string> Queries { get; } = new();

    /// <summary>Overrides the answer to a query (key → result), e.g. to keep a charge pending.</summary>
    public ConcurrentDictionary<string, GatewayResult> QueryOverrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Transactions actually created (one per key at most).</summary>
    public int ChargeCount => _charged.Count;

    public int RequestsFor(string key) => Charges.Count(c => c.IdempotencyKey == key);

    public Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        Charges.Enqueue(request);
        var key = request.IdempotencyKey ?? throw new InvalidOperationException("recurring charges always carry a key");
        var stored = _charged.GetOrAdd(key, _ => Decide(request));
        var answer = request.CardToken switch
        {
            "lost" => new GatewayResult.Unknown("timeout"),
            "pending" => new GatewayResult.Pending(((GatewayResult.Pending)stored).GatewayTransactionId, "processing"),
            _ => stored,
        };
        return Task.FromResult(answer);
    }

    private GatewayResult Decide(ChargeRequest r)
    {
        var uid = "fake-" + Interlocked.Increment(ref _uid);
        return r.CardToken switch
        {
            "soft" => new GatewayResult.Declined(uid, "Insufficient funds.", "51", IsHardDecline: false),
            "hard" => new GatewayResult.Declined(uid, "Stolen card, pick up.", "43", IsHardDecline: true),
            "pending" => new GatewayResult.Pending(uid, "processing"),
            _ => new GatewayResult.Approved(uid, r.AmountMinor, r.Currency)
            {
                Card = new Portal.Domain.Gateways.CardDetails("VISA", "1111", 12, 2030, r.CardToken),
                Message = "Successfully processed",
            },
        };
    }

    public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<GatewayResult> QueryAsync(string gatewayTransactionId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<GatewayResult> QueryByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        Queries.Enqueue(idempotencyKey);
        if (QueryOverrides.TryGetValue(idempotencyKey, out var overridden)) return Task.FromResult(overridden);
        return Task.FromResult(_charged.TryGetValue(idempotencyKey, out var r) ? r : new GatewayResult.NotFound("no transaction with this tracking id"));
    }
}

public static class RecurringTestData
{
    public static readonly RecurringUser Finance = new(Actor.User("user-finance-1", "finance@portal.local"), [Roles.Finance]);
    public static readonly RecurringUser Admin = new(Actor.User("user-admin-1", "admin@portal.local"), [Roles.Admin]);
    public static readonly RecurringUser Staff = new(Actor.User("user-staff-1", "staff@portal.local"), [Roles.Staff]);

    public static readonly TestTokenProtector Tokens = new();

    public static RecurringChargeRunner Runner(IDbContextFactory<DbContext> db, IPaymentGateway gateway, TimeProvider clock,
        RecurringOptions? options = null, ICardTokenProtector? tokens = null) =>
        new(db, gateway, tokens ?? Tokens, new AuditTrail(clock), clock, Options.Create(options ?? new RecurringOptions()),
            NullLogger<RecurringChargeRunner>.Instance);

    public static RecurringScheduleService Service(IDbContextFactory<DbContext> db, IPaymentGateway gateway, TimeProvider clock,
        RecurringOptions? options = null, ICardTokenProtector? tokens = null, IMoneyMovementGuard? guard = null) =>
        new(db, gateway, Runner(db, gateway, clock, options, tokens), new AuditTrail(clock), clock, guard ?? AllowAllMoneyMovement.Instance,
            NullLogger<RecurringScheduleService>.Instance);

    /// <summary>A captured eComCharge card payment whose transaction keeps the (protected) token; returns (paymentId, transactionId).</summary>
    public static async Task<(string PaymentId, string TransactionId)> SeedSourceAsync(IDbContextFactory<PortalDbContext> factory, string token,
        long amount = 1_000, Currency? currency = null, DateTime? at = null, string gatewayId = "ecomcharge", ICardTokenProtector? tokens = null,
        TransactionStatus status = TransactionStatus.Confirmed, bool withToken = true)
    {
        var when = at ?? DateTime.UtcNow.AddDays(-1);
        var payment = Payment.Create(new NewPayment
        {
            Currency = currency ?? Currency.EUR,
            Source = PaymentSource.EComCharge,
            CreatedAtUtc = when,
            Customer = PaymentCustomer.Create(email: "ada@example.com", firstName: "Ada", lastName: "Lovelace"),
        });
        payment.AddLine(new NewPaymentLine { UnitAmount = amount, ProductName = "Subscription" });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = when,
            Gateway = new GatewayRef(gatewayId, gatewayId),
            Status = status,
            RequestedAmount = amount,
            ProcessedAmount = status == TransactionStatus.Failed ? 0 : amount,
            ConfirmedAmount = status == TransactionStatus.Confirmed ? amount : 0,
            ExternalId1 = "uid-" + Guid.NewGuid().ToString("N")[..12],
            Card = Portal.Domain.Payments.CardDetails.Create(null, "1111", "VISA", 12, 2030),
            CardTokenProtected = withToken ? (tokens ?? Tokens).Protect(token) : null,
        }, "test");
        await using var db = await factory.CreateDbContextAsync();
        db.Add(payment);
        await db.SaveChangesAsync();
        return (payment.Id, t.Id);
    }

    public static CreateRecurringSchedule Create(string paymentId, string transactionId, DateOnly start, long amount = 1_000,
        RecurringIntervalUnit unit = RecurringIntervalUnit.Month, int every = 1, RecurringEndKind end = RecurringEndKind.Never,
        DateOnly? endDate = null, int? maxCycles = null, string currency = "EUR", string description = "Gym membership") =>
        new(paymentId, transactionId, amount, currency, description, unit, every, start, end, endDate, maxCycles);

    public static async Task<RecurringSchedule> ScheduleAsync(IDbContextFactory<PortalDbContext> factory, string id)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<RecurringSchedule>().AsNoTracking().SingleAsync(s => s.Id == id);
    }

    public static async Task<List<RecurringCycle>> CyclesAsync(IDbContextFactory<PortalDbContext> factory, string id)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<RecurringCycle>().AsNoTracking().Where(c => c.ScheduleId == id).OrderBy(c => c.Number).ToListAsync();
    }

    public static async Task<List<RecurringCycleAttempt>> AttemptsAsync(IDbContextFactory<PortalDbContext> factory, string id)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<RecurringCycleAttempt>().AsNoTracking().Where(a => a.ScheduleId == id).OrderBy(a => a.CycleNumber).ThenBy(a => a.Number).ToListAsync();
    }

    public static async Task<List<AuditEntry>> AuditAsync(IDbContextFactory<PortalDbContext> factory, string resourceId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<AuditEntry>().AsNoTracking().Where(a => a.ResourceId == resourceId).OrderBy(a => a.Id).ToListAsync();
    }

    public static DateTimeOffset Utc(int y, int m, int d, int h = 8) => new(y, m, d, h, 0, 0, TimeSpan.Zero);
}
