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

namespace Portal.Tests.Components.Recurring;

/// <summary>Payments that carry a card token, and the recurring services over a test database, for the recurring pages' tests.</summary>
internal static class RecurringUiTestData
{
    public static readonly RecurringUser Finance = new(Actor.User("user-finance-1", "finance@shop.test"), [Roles.Finance]);
    public static readonly RecurringUser Admin = new(Actor.User("user-admin-1", "admin@shop.test"), [Roles.Admin]);
    public static readonly RecurringUser Staff = new(Actor.User("user-staff-1", "staff@shop.test"), [Roles.Staff]);

    /// <summary>A confirmed eComCharge card payment whose transaction kept its (protected) token.</summary>
    public static Task<(string PaymentId, string TransactionId)> SeedTokenPaymentAsync(IDbContextFactory<PortalDbContext> factory,
        ICardTokenProtector tokens, string token, long amount = 2_500, string currency = "EUR", TransactionStatus status = TransactionStatus.Confirmed,
        bool withToken = true, string gateway = "ecomcharge") =>
        Portal.Tests.Recurring.RecurringTestData.SeedSourceAsync(factory, token, amount, Currency.Parse(currency), DateTime.UtcNow.AddMinutes(-10),
            gateway, tokens, status, withToken);

    public static async Task<int> ScheduleCountAsync(IDbContextFactory<PortalDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Set<RecurringSchedule>().CountAsync();
    }

    public static RecurringScheduleService Service(IDbContextFactory<DbContext> db, IPaymentGateway gateway, ICardTokenProtector tokens, TimeProvider clock,
        Portal.Domain.Security.IMoneyMovementGuard? guard = null)
    {
        var audit = new AuditTrail(clock);
        var runner = new RecurringChargeRunner(db, gateway, tokens, audit, clock, Options.Create(new RecurringOptions()),
            NullLogger<RecurringChargeRunner>.Instance);
        return new RecurringScheduleService(db, gateway, runner, audit, clock, guard ?? Portal.Domain.Security.AllowAllMoneyMovement.Instance, NullLogger<RecurringScheduleService>.Instance);
    }

    /// <summary>A valid create command on a seeded transaction.</summary>
    public static CreateRecurringSchedule Command(string paymentId, string transactionId, DateOnly start, long amount = 2_500) =>
        new(paymentId, transactionId, amount, "EUR", "Monthly membership", RecurringIntervalUnit.Month, 1, start);
}

/// <summary>Token protection that is readable in a test (the app uses Data Protection).</summary>
internal sealed class PlainTokens : ICardTokenProtector
{
    public string Protect(string token) => "protected:" + token;

    public string Unprotect(string protectedToken) => protectedToken["protected:".Length..];
}

/// <summary>A gateway named like eComCharge that approves every charge; counts the charges.</summary>
internal sealed class ApprovingGateway : IPaymentGateway
{
    public int Charges;

    public string Name => "ecomcharge";

    public Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Charges);
        return Task.FromResult<GatewayResult>(new GatewayResult.Approved("gw-" + request.IdempotencyKey, request.AmountMinor, request.Currency));
    }

    public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("No refunds in these tests.");

    public Task<GatewayResult> QueryAsync(string gatewayTransactionId, CancellationToken cancellationToken = default) =>
        Task.FromResult<GatewayResult>(new GatewayResult.NotFound("unknown"));

    public Task<GatewayResult> QueryByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<GatewayResult>(new GatewayResult.NotFound("unknown"));
}
