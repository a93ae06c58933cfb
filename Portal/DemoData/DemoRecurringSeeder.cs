using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Sandbox;

namespace Portal.DemoData;

/// <summary>
/// Demo recurring schedules in every state, made by the real code: the command service creates
/// them and the real runner charges them day by day over the last 100 days (on a clock that
/// walks forward), against an in-process stand-in that answers like the sandbox does for its
/// test tokens. So the cycles, attempts, payments and audit trail are exactly what production
/// would have written. Runs once (Development, <c>Portal:SeedDemoData</c> and <c>Portal:DemoRecurring</c>, no schedule yet).
/// </summary>
public sealed class DemoRecurringSeeder(
    IDbContextFactory<DbContext> dbFactory,
    ICardTokenProtector tokens,
    IOptions<PortalOptions> portalOptions,
    IOptions<DemoDataOptions> demoOptions,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoRecurringSeeder> logger)
{
    public const int HistoryDays = 100;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static readonly RecurringUser DemoFinance = new(Actor.User("demo-finance", "finance (demo data)"), [Roles.Finance]);

    /// <summary>Returns the number of schedules created (0 when off or already there).</summary>
    public async Task<int> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (!environment.IsDevelopment() || !portalOptions.Value.SeedDemoData || !demoOptions.Value.DemoRecurring) return 0;
        // Two hosts in one process (the browser tests) may start at once: seed once.
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await SeedAsync(cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }

    internal async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            if (await db.Set<RecurringSchedule>().AnyAsync(cancellationToken)) return 0;

        var end = clock.GetUtcNow();
        var walk = new WalkingClock(end.AddDays(-HistoryDays));
        var gateway = new DemoSandboxGateway();
        var options = Options.Create(new RecurringOptions());
        var audit = new AuditTrail(walk);
        var runner = new RecurringChargeRunner(dbFactory, gateway, tokens, audit, walk, options, NullLogger<RecurringChargeRunner>.Instance);
        // Demo history written by the seeder on the sandbox gateway, not by a person signed in: no second factor to ask for.
        var service = new RecurringScheduleService(dbFactory, gateway, runner, audit, walk, AllowAllMoneyMovement.Instance,
            NullLogger<RecurringScheduleService>.Instance);

        // (day it is set up, token, description, amount, unit, every, end, cycles, what finance does later)
        var plans = new (int Day, string Token, string Description, long Amount, string Currency, RecurringIntervalUnit Unit, int Every,
            RecurringEndKind End, int? Cycles, int? PauseOn, int? CancelOn)[]
        {
            (0, SandboxTokens.Approve, "Gym membership", 4_900, "EUR", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, null, null),
            (2, SandboxTokens.Approve, "Weekly vegetable box", 2_350, "EUR", RecurringIntervalUnit.Week, 1, RecurringEndKind.Never, null, null, null),
            (5, SandboxTokens.Approve, "Software licence", 12_000, "GBP", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, 40, null),
            (8, SandboxTokens.Approve, "Magazine subscription", 990, "EUR", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, null, 70),
            (10, SandboxTokens.Approve, "Course in 4 instalments", 15_000, "EUR", RecurringIntervalUnit.Week, 2, RecurringEndKind.AfterCycles, 4, null, null),
            (50, SandboxTokens.StolenCard, "Wine club", 3_500, "EUR", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, null, null),
            (80, SandboxTokens.InsufficientFunds, "Home insurance", 2_800, "EUR", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, null, null),
            (HistoryDays - 1, SandboxTokens.InsufficientFunds, "Phone plan", 1_999, "EUR", RecurringIntervalUnit.Month, 1, RecurringEndKind.Never, null, null, null),
            (HistoryDays, SandboxTokens.Timeout, "Parking permit", 6_000, "EUR", RecurringIntervalUnit.Year, 1, RecurringEndKind.Never, null, null, null),
            (HistoryDays, SandboxTokens.Approve, "Cloud storage (starts next week)", 299, "USD", RecurringIntervalUnit.Month, 1, RecurringEndKind.OnDate, null, null, null),
        };

        var created = new Dictionary<int, string>();
        for (var day = 0; day <= HistoryDays; day++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            walk.Set(end.AddDays(day - HistoryDays));
            var today = DateOnly.FromDateTime(walk.GetUtcNow().UtcDateTime);
            for (var i = 0; i < plans.Length; i++)
            {
                var p = plans[i];
                if (p.Day == day)
                {
                    var (paymentId, transactionId) = await SourceAsync(p.Token, p.Amount, Currency.Parse(p.Currency), walk.GetUtcNow().UtcDateTime.AddMinutes(-30), i, cancellationToken);
                    var start = p.End == RecurringEndKind.OnDate ? today.AddDays(7) : today;
                    var view = await service.CreateAsync(new CreateRecurringSchedule(paymentId, transactionId, p.Amount, p.Currency, p.Description,
                        p.Unit, p.Every, start, p.End, p.End == RecurringEndKind.OnDate ? start.AddMonths(11) : null, p.Cycles), DemoFinance, cancellationToken);
                    created[i] = view.Id;
                }
                if (p.PauseOn == day) await service.PauseAsync(created[i], DemoFinance, cancellationToken);
                if (p.CancelOn == day) await service.CancelAsync(created[i], "customer moved abroad", DemoFinance, cancellationToken);
            }
            while ((await runner.RunDueAsync(null, cancellationToken)).Claimed > 0)
            {
            }
        }
        logger.LogInformation("Seeded {Schedules} demo recurring schedules with {Days} days of history", created.Count, HistoryDays);
        return created.Count;
    }

    /// <summary>A captured eComCharge card payment that kept its (encrypted) sandbox token.</summary>
    private async Task<(string PaymentId, string TransactionId)> SourceAsync(string token, long amount, Currency currency, DateTime at, int index,
        CancellationToken cancellationToken)
    {
        var names = new[] { "Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen",
            "John Backus", "Margaret Hamilton", "Ken Thompson" };
        var name = names[index % names.Length].Split(' ');
        var email = $"{name[0]}.{name[1]}@example.com".ToLowerInvariant();
        var payment = Payment.Create(new NewPayment
        {
            Currency = currency,
            Source = PaymentSource.EComCharge,
            CreatedAtUtc = at,
            ReferenceId = "demo-recurring-" + (index + 1),
            Customer = PaymentCustomer.Create(email: email, firstName: name[0], lastName: name[1]),
        }, "demo");
        payment.AddLine(new NewPaymentLine { UnitAmount = amount, ProductName = "First payment" });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = at,
            Gateway = new GatewayRef("ecomcharge", "ecomcharge"),
            Status = TransactionStatus.Confirmed,
            RequestedAmount = amount,
            ProcessedAmount = amount,
            ConfirmedAmount = amount,
            ExternalId1 = "demo-" + Guid.NewGuid().ToString("N")[..16],
            Card = Domain.Payments.CardDetails.Create(null, "1111", "VISA", 12, 2030),
            HolderEmail = email,
            HolderName = string.Join(' ', name),
            CardTokenProtected = tokens.Protect(token),
        }, "demo");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Add(payment);
        await db.SaveChangesAsync(cancellationToken);
        return (payment.Id, t.Id);
    }

    private sealed class WalkingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Set(DateTimeOffset now) => _now = now;
    }

    /// <summary>Answers the sandbox's test tokens the way the sandbox does (docs/sandbox.md), in process, for the seeding only.</summary>
    private sealed class DemoSandboxGateway : IPaymentGateway
    {
        private int _uid;

        public string Name => "ecomcharge";

        public Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default)
        {
            var uid = "demo-rc-" + Interlocked.Increment(ref _uid) + "-" + Guid.NewGuid().ToString("N")[..8];
            GatewayResult result = SandboxTokens.For(request.CardToken) switch
            {
                SandboxCardBehaviour.DeclineInsufficientFunds => new GatewayResult.Declined(uid, "Insufficient funds.", "51", IsHardDecline: false),
                SandboxCardBehaviour.DeclineStolenCard => new GatewayResult.Declined(uid, "Stolen card, pick up.", "43", IsHardDecline: true),
                SandboxCardBehaviour.DeclineDoNotHonor => new GatewayResult.Declined(uid, "Do not honor.", "05", IsHardDecline: true),
                SandboxCardBehaviour.Timeout => new GatewayResult.Unknown("timeout"),
                _ => new GatewayResult.Approved(uid, request.AmountMinor, request.Currency)
                {
                    Card = new Domain.Gateways.CardDetails("VISA", "1111", 12, 2030, null),
                    Message = "Successfully processed",
                },
            };
            return Task.FromResult(result);
        }

        public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult<GatewayResult>(new GatewayResult.Unknown("not used while seeding"));

        public Task<GatewayResult> QueryAsync(string gatewayTransactionId, CancellationToken cancellationToken = default) =>
            Task.FromResult<GatewayResult>(new GatewayResult.Unknown("not used while seeding"));

        // The seeding's "timeout" charge was never recorded anywhere: the live runner later asks the real sandbox.
        public Task<GatewayResult> QueryByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<GatewayResult>(new GatewayResult.Unknown("the seeding gateway keeps nothing"));
    }
}
