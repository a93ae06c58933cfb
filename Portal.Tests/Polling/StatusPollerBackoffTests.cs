using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Jobs;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

/// <summary>
/// The status poller's per-attempt backoff, expiry, flagging and database claims, against the
/// eComCharge sandbox over real HTTP, counting the sandbox's status queries per attempt.
/// </summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class StatusPollerBackoffTests(GatewaySandboxFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);

    private IPaymentGateway Gateway => fixture.Service<IPaymentGateway>();
    private EComChargeSandboxStore Sandbox => fixture.Service<EComChargeSandboxStore>();

    private TransactionStatusPoller Poller(StatusPollerOptions? options = null, IDbContextFactory<DbContext>? db = null) =>
        new(db ?? _db, Gateway, fixture.Service<ICardTokenProtector>(), _clock, NullLogger<TransactionStatusPoller>.Instance,
            Options.Create(options ?? new StatusPollerOptions()), NoBatchProgress.Instance);

    /// <summary>An attempt the sandbox has never heard of: every query answers "not found", so it stays open.</summary>
    private static string UnknownUid() => "unknown-" + Guid.NewGuid().ToString("N");

    private static Payment NewPayment(string uid, TransactionStatus status, DateTime createdAtUtc)
    {
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = PaymentSource.Portal, CreatedAtUtc = createdAtUtc });
        payment.AddLine(new NewPaymentLine { UnitAmount = 1250 });
        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = createdAtUtc,
            Gateway = new GatewayRef("ecomcharge", "eComCharge"),
            Status = status,
            RequestedAmount = 1250,
            ExternalId1 = uid,
            TrackingId = "poll-" + Guid.NewGuid().ToString("N"),
        }, "test");
        return payment;
    }

    private async Task<string> SeedAsync(string uid, TransactionStatus status = TransactionStatus.Requested, TimeSpan? age = null)
    {
        await using var db = _db.CreateDbContext();
        var payment = NewPayment(uid, status, Start.UtcDateTime - (age ?? TimeSpan.FromSeconds(5)));
        db.Add(payment);
        await db.SaveChangesAsync();
        return payment.Transactions.Single().Id;
    }

    private async Task<PaymentTransaction> LoadAsync(string transactionId)
    {
        await using var db = _db.CreateDbContext();
        var paymentId = await db.Set<PaymentTransaction>().Where(t => t.Id == transactionId).Select(t => t.PaymentId).SingleAsync();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == paymentId);
        return payment.Transactions.Single(t => t.Id == transactionId);
    }

    [Fact]
    public async Task Poll_AttemptStaysOpen_AskedAgainOnlyAfter1Min5Min15Min1HThenHourly()
    {
        var uid = UnknownUid();
        var id = await SeedAsync(uid);
        var poller = Poller();

        var asked = new List<TimeSpan>();
        // Walk four hours in 30-second steps; note when the sandbox was asked.
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromHours(4); elapsed += TimeSpan.FromSeconds(30))
        {
            var before = Sandbox.QueryCount(uid);
            await poller.PollAsync(50, default);
            if (Sandbox.QueryCount(uid) > before) asked.Add(elapsed);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        var minutes = asked.Select(a => a.TotalMinutes).ToArray();
        Assert.Equal([0, 1, 6, 21, 81, 141, 201], minutes);
        var t = await LoadAsync(id);
        Assert.Equal(TransactionStatus.Requested, t.Status);
        Assert.Equal(7, t.PollAttempts);
        Assert.Equal(Start.UtcDateTime.AddMinutes(201 + 60), t.NextPollAtUtc);
    }

    [Fact]
    public async Task Poll_StuckOldestAttempt_DoesNotStarveTheOthers()
    {
        var stuck = UnknownUid();
        await SeedAsync(stuck, age: TimeSpan.FromHours(1));
        var others = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var uid = UnknownUid();
            await SeedAsync(uid, age: TimeSpan.FromMinutes(10 - i));
            others.Add(uid);
        }
        var poller = Poller();

        // Batches of two, all at the same instant: the stuck one once (oldest first), then the others.
        var first = await poller.PollAsync(2, default);
        var second = await poller.PollAsync(2, default);
        var third = await poller.PollAsync(2, default);
        var fourth = await poller.PollAsync(2, default);

        Assert.Equal((2, 2, 1, 0), (first.Polled, second.Polled, third.Polled, fourth.Polled));
        Assert.Equal(1, Sandbox.QueryCount(stuck));
        Assert.All(others, uid => Assert.Equal(1, Sandbox.QueryCount(uid)));

        // A newcomer a minute later goes in the same batch as the stuck one's second ask, not behind it.
        _clock.Advance(TimeSpan.FromMinutes(1));
        var late = UnknownUid();
        await SeedAsync(late, age: TimeSpan.Zero);
        await poller.PollDueAsync(TimeSpan.FromSeconds(30), default);
        Assert.Equal(1, Sandbox.QueryCount(late));
        Assert.Equal(2, Sandbox.QueryCount(stuck));
    }

    [Fact]
    public async Task Poll_StillPendingAtTheGatewayPastMaxAge_ExpiredThroughTheTransitionTable()
    {
        // Charges the gateway keeps "pending" (nothing resolves them by themselves).
        var youngUid = UnknownUid();
        var oldUid = UnknownUid();
        Sandbox.Adopt(youngUid, null, 1250, "EUR", "pending", 0, Start.AddHours(-2));
        Sandbox.Adopt(oldUid, null, 1250, "EUR", "pending", 0, Start.AddHours(-3).AddMinutes(-1));
        var young = await SeedAsync(youngUid, TransactionStatus.Requested, TimeSpan.FromHours(2));
        var old = await SeedAsync(oldUid, TransactionStatus.NextAction, TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));

        var result = await Poller(new StatusPollerOptions { ExpireAfterHours = 3 }).PollAsync(50, default);

        Assert.Equal(1, result.Expired);
        var expired = await LoadAsync(old);
        Assert.Equal(TransactionStatus.Expired, expired.Status);
        Assert.Equal(TransactionErrorCode.NotCompleted, expired.Error!.Code);
        await using (var db = _db.CreateDbContext())
            Assert.True(await db.Set<PaymentStatusChange>().AnyAsync(h => h.TransactionId == old && h.FromStatus == nameof(TransactionStatus.NextAction)
                && h.ToStatus == nameof(TransactionStatus.Expired) && h.Applied));
        Assert.Equal(TransactionStatus.Requested, (await LoadAsync(young)).Status);
    }

    [Fact]
    public async Task Poll_GatewayDoesNotKnowItPastMaxAge_FlaggedForAPersonAndNoLongerAsked()
    {
        var uid = UnknownUid();
        var id = await SeedAsync(uid, age: TimeSpan.FromHours(4));
        var poller = Poller(new StatusPollerOptions { ExpireAfterHours = 3 });

        var result = await poller.PollAsync(50, default);
        _clock.Advance(TimeSpan.FromHours(2));
        await poller.PollAsync(50, default);

        Assert.Equal(1, result.Flagged);
        Assert.Equal(1, Sandbox.QueryCount(uid));
        var t = await LoadAsync(id);
        Assert.Equal(TransactionStatus.Requested, t.Status);
        Assert.NotNull(t.PollFlaggedAtUtc);
        Assert.Contains("does not know", t.PollFlagReason);
    }

    [Fact]
    public async Task PollDue_TwoInstancesOnOneDatabase_EveryAttemptAskedExactlyOnceAndConfirmed()
    {
        const int count = 300;
        var uids = Enumerable.Range(0, count).Select(_ => "two-" + Guid.NewGuid().ToString("N")).ToList();
        await using (var db = _db.CreateDbContext())
        {
            for (var i = 0; i < count; i++)
            {
                // The gateway approved each charge; the portal never heard (a lost answer and a lost notification).
                Sandbox.Adopt(uids[i], null, 1250, "EUR", "successful", 0, Start.AddMinutes(-30));
                db.Add(NewPayment(uids[i], TransactionStatus.Requested, Start.UtcDateTime.AddMinutes(-30).AddSeconds(i)));
            }
            await db.SaveChangesAsync();
        }

        // Two portal instances: their own containers, their own database factories on the same file, their own claims.
        using var a = Instance();
        using var b = Instance();
        var results = await Task.WhenAll(
            Task.Run(() => a.GetRequiredService<StatusPollerJob>().RunAsync(default)),
            Task.Run(() => b.GetRequiredService<StatusPollerJob>().RunAsync(default)));

        Assert.Equal(count, results.Sum(r => r.ItemsProcessed));
        Assert.All(uids, uid => Assert.Equal(1, Sandbox.QueryCount(uid)));
        await using var read = _db.CreateDbContext();
        Assert.Equal(count, await read.Set<PaymentTransaction>().CountAsync(t => t.Status == TransactionStatus.Confirmed));
    }

    private ServiceProvider Instance()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IDbContextFactory<DbContext>>(new FileDatabase(_db.File));
        services.AddSingleton(Gateway);
        services.AddSingleton(fixture.Service<ICardTokenProtector>());
        services.AddSingleton(Options.Create(new StatusPollerOptions { BatchSize = 20, MaxConcurrency = 4, MaxRunSeconds = 600 }));
        services.AddSingleton<IBatchProgress>(NoBatchProgress.Instance);
        services.AddTransient<TransactionStatusPoller>();
        services.AddTransient<StatusPollerJob>();
        return services.BuildServiceProvider();
    }

    /// <summary>A second, independent factory on the same SQLite file (as another process would open it).</summary>
    private sealed class FileDatabase(string file) : IDbContextFactory<DbContext>
    {
        private readonly DbContextOptions<PortalDbContext> _options = TestDatabase.Options(file);

        public DbContext CreateDbContext() => new PortalDbContext(_options);
    }

    public void Dispose() => _db.Dispose();
}
