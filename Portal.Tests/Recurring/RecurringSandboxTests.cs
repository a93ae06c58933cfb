using Microsoft.EntityFrameworkCore;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>
/// The runner through the real eComCharge adapter and the sandbox over loopback, on its own real
/// SQLite file; the sandbox's own counters (requests and transactions per tracking_id) prove what
/// reached the "gateway".
/// </summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RecurringSandboxTests(GatewaySandboxFixture fixture) : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(DateTimeOffset.UtcNow);

    private EComChargeSandboxStore Sandbox => fixture.Service<EComChargeSandboxStore>();

    private IPaymentGateway Gateway => fixture.Service<IPaymentGateway>();

    public void Dispose() => _db.Dispose();

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    private RecurringChargeRunner Runner(IPaymentGateway? gateway = null, RecurringOptions? options = null) =>
        RecurringTestData.Runner(_db, gateway ?? Gateway, _clock, options ?? new RecurringOptions { BatchSize = 100, Parallelism = 4 });

    private async Task<List<string>> SchedulesAsync(string token, int count)
    {
        var (p, t) = await SeedSourceAsync(_db, token);
        var service = RecurringTestData.Service(_db, Gateway, _clock);
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
            ids.Add((await service.CreateAsync(Create(p, t, Today, amount: 100 + i), Finance)).Id);
        return ids;
    }

    private static async Task<int> DrainAsync(RecurringChargeRunner runner)
    {
        var claimed = 0;
        while (true)
        {
            var round = await runner.RunDueAsync();
            if (round.Claimed == 0) return claimed;
            claimed += round.Claimed;
        }
    }

    [Fact]
    public async Task TwoRunnersAtOnce_ThousandDueCycles_EachChargedExactlyOnceAtTheSandbox()
    {
        var ids = await SchedulesAsync(SandboxTokens.Approve, 1_000);
        var keys = ids.Select(id => RecurringCycleAttempt.KeyFor(id, 1, 1)).ToList();
        using var go = new ManualResetEventSlim(false);

        var a = Task.Run(async () => { go.Wait(); return await DrainAsync(Runner()); });
        var b = Task.Run(async () => { go.Wait(); return await DrainAsync(Runner()); });
        go.Set();
        var claimed = await Task.WhenAll(a, b);

        // Every schedule was claimed (a claim released after a database error is claimed again, hence ≥).
        Assert.True(claimed.Sum() >= 1_000, $"claimed {claimed.Sum()}");
        // On a loaded machine an answer may come after the adapter's 2 s timeout: that cycle is pending
        // verification, and the next rounds resolve it by asking the sandbox, never by charging again.
        _clock.Advance(TimeSpan.FromSeconds(new RecurringOptions().VerifyAfterSeconds + 1));
        await Task.WhenAll(DrainAsync(Runner()), DrainAsync(Runner()));
        Assert.All(keys, k =>
        {
            Assert.Equal(1, Sandbox.ChargeRequestCount(k));
            Assert.Equal(1, Sandbox.TransactionCount(k));
        });
        await using var db = _db.CreateDbContext();
        Assert.Equal(1_000, await db.Set<RecurringCycle>().CountAsync(c => c.Status == RecurringCycleStatus.Succeeded));
        Assert.Equal(1_000, await db.Set<RecurringCycle>().CountAsync());
        Assert.Equal(1_000, await db.Set<PaymentTransaction>().CountAsync(t => t.TrackingId != null && t.TrackingId.StartsWith("rcs_")));
        Assert.Equal(0, await db.Set<RecurringSchedule>().CountAsync(s => s.ClaimToken != null || s.OpenAttemptKey != null));
    }

    [Fact]
    public async Task KilledAfter37Of100BetweenAnswerAndCommit_Restarted_NoDuplicateAndAllResolved()
    {
        var ids = await SchedulesAsync(SandboxTokens.Approve, 100);
        var keys = ids.Select(id => RecurringCycleAttempt.KeyFor(id, 1, 1)).ToList();
        var killing = new KillAfterAnswersGateway(Gateway, 37);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Runner(killing, new RecurringOptions { BatchSize = 100, Parallelism = 1 }).RunDueAsync());

        Assert.Equal(37, keys.Count(k => Sandbox.TransactionCount(k) == 1));
        await using (var db = _db.CreateDbContext())
        {
            Assert.Equal(36, await db.Set<RecurringCycle>().CountAsync(c => c.Status == RecurringCycleStatus.Succeeded));
            var lost = await db.Set<RecurringCycleAttempt>().SingleAsync(x => x.Status == RecurringAttemptStatus.Sent);
            Assert.Equal(1, Sandbox.TransactionCount(lost.IdempotencyKey)); // charged, but the portal never recorded the answer
        }

        // "Restart": a new runner after the dead one's claims expired.
        _clock.Advance(TimeSpan.FromSeconds(new RecurringOptions().ClaimLeaseSeconds + 1));
        await DrainAsync(Runner());

        Assert.All(keys, k =>
        {
            Assert.Equal(1, Sandbox.ChargeRequestCount(k));
            Assert.Equal(1, Sandbox.TransactionCount(k));
        });
        await using var after = _db.CreateDbContext();
        Assert.Equal(100, await after.Set<RecurringCycle>().CountAsync(c => c.Status == RecurringCycleStatus.Succeeded));
        Assert.Equal(100, await after.Set<PaymentTransaction>().CountAsync(t => keys.Contains(t.TrackingId!)));
        Assert.All(await after.Set<RecurringCycleAttempt>().ToListAsync(), x => Assert.Equal((RecurringAttemptStatus.Approved, 1), (x.Status, x.SendCount)));
    }

    [Fact]
    public async Task SandboxSoftDecline_ThreeResubmissionsThenPastDue_FlagsOnTheWire()
    {
        var id = (await SchedulesAsync(SandboxTokens.InsufficientFunds, 1)).Single();
        var runner = Runner();
        await runner.RunDueAsync();
        for (var day = 0; day < 10; day++)
        {
            _clock.Advance(TimeSpan.FromDays(1));
            await runner.RunDueAsync();
        }

        var requests = Sandbox.Requests.Where(r => r.Kind == "charge" && (r.TrackingId ?? "").StartsWith(id + "-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 4).Select(n => RecurringCycleAttempt.KeyFor(id, 1, n)), requests.Select(r => r.TrackingId));
        Assert.Contains("recurring", requests[0].AdditionalData);
        Assert.All(requests.Skip(1), r => Assert.Contains("resubmission", r.AdditionalData));
        var s = await ScheduleAsync(_db, id);
        Assert.Equal(RecurringScheduleStatus.PastDue, s.Status);
    }

    [Fact]
    public async Task SandboxHardDecline_NeedsAttentionAfterOneRequest()
    {
        var id = (await SchedulesAsync(SandboxTokens.StolenCard, 1)).Single();
        var runner = Runner();
        await runner.RunDueAsync();
        for (var day = 0; day < 10; day++)
        {
            _clock.Advance(TimeSpan.FromDays(1));
            await runner.RunDueAsync();
        }

        Assert.Single(Sandbox.Requests, r => r.Kind == "charge" && (r.TrackingId ?? "").StartsWith(id + "-", StringComparison.Ordinal));
        Assert.Equal(RecurringScheduleStatus.NeedsAttention, (await ScheduleAsync(_db, id)).Status);
    }

    [Fact]
    public async Task SandboxTimeout_PendingVerificationThenResolvedByQuery_ExactlyOneSandboxCharge()
    {
        var id = (await SchedulesAsync(SandboxTokens.Timeout, 1)).Single();
        var key = RecurringCycleAttempt.KeyFor(id, 1, 1);

        var first = await Runner().RunDueAsync();
        Assert.Equal(1, first.PendingVerification);
        Assert.Equal(RecurringCycleStatus.PendingVerification, Assert.Single(await CyclesAsync(_db, id)).Status);

        _clock.Advance(TimeSpan.FromSeconds(61));
        var second = await Runner().RunDueAsync();

        Assert.Equal(1, second.Succeeded);
        Assert.Equal(1, Sandbox.ChargeRequestCount(key));
        Assert.Equal(1, Sandbox.TransactionCount(key));
        var cycle = Assert.Single(await CyclesAsync(_db, id));
        Assert.Equal(RecurringCycleStatus.Succeeded, cycle.Status);
        Assert.NotNull(cycle.PaymentId);
        Assert.Contains(await AuditAsync(_db, id), a => a.Action == RecurringAuditActions.CycleSucceeded && a.Details!.Contains("asking the gateway"));
    }

    /// <summary>Answers normally until the Nth answer, then "dies" before the caller can record it.</summary>
    private sealed class KillAfterAnswersGateway(IPaymentGateway inner, int killAt) : IPaymentGateway
    {
        private int _answers;

        public string Name => inner.Name;

        public async Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default)
        {
            var answer = await inner.ChargeTokenAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _answers) >= killAt)
                throw new OperationCanceledException("the process was killed between the gateway's answer and the commit");
            return answer;
        }

        public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default) => inner.RefundAsync(request, cancellationToken);

        public Task<GatewayResult> QueryAsync(string id, CancellationToken cancellationToken = default) => inner.QueryAsync(id, cancellationToken);

        public Task<GatewayResult> QueryByIdempotencyKeyAsync(string key, CancellationToken cancellationToken = default) =>
            inner.QueryByIdempotencyKeyAsync(key, cancellationToken);
    }
}
