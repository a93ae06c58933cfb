using Microsoft.EntityFrameworkCore;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>What the runner does with each kind of gateway answer: dunning, hard declines, lost answers.</summary>
public sealed class RecurringDunningTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Utc(2027, 5, 1));
    private readonly FakeTokenGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private RecurringChargeRunner Runner(RecurringOptions? options = null, IPaymentGateway? gateway = null) =>
        RecurringTestData.Runner(_db, gateway ?? _gateway, _clock, options);

    private async Task<RecurringScheduleView> NewScheduleAsync(string token)
    {
        var (p, t) = await SeedSourceAsync(_db, token);
        return await RecurringTestData.Service(_db, _gateway, _clock).CreateAsync(Create(p, t, new DateOnly(2027, 5, 1)), Finance);
    }

    private async Task RunDaysAsync(int days, RecurringOptions? options = null)
    {
        for (var i = 0; i < days; i++)
        {
            _clock.Advance(TimeSpan.FromDays(1));
            await Runner(options).RunDueAsync();
        }
    }

    [Fact]
    public async Task SoftDecline_RetriedOnDays3And5And7AsResubmissions_ThenPastDueAndNothingMore()
    {
        var s = await NewScheduleAsync("soft");

        await Runner().RunDueAsync();
        var afterFirst = await ScheduleAsync(_db, s.Id);
        Assert.Equal((RecurringScheduleStatus.Active, new DateTime(2027, 5, 4, 0, 0, 0, DateTimeKind.Utc)), (afterFirst.Status, afterFirst.NextChargeAtUtc));
        Assert.Equal(RecurringCycleStatus.RetryScheduled, Assert.Single(await CyclesAsync(_db, s.Id)).Status);
        await RunDaysAsync(45);

        var charges = _gateway.Charges.ToList();
        Assert.Equal(4, charges.Count);
        Assert.Equal([TokenChargeKind.RecurringFirst, TokenChargeKind.MerchantInitiatedResubmission, TokenChargeKind.MerchantInitiatedResubmission,
            TokenChargeKind.MerchantInitiatedResubmission], charges.Select(c => c.Kind));
        Assert.Equal(Enumerable.Range(1, 4).Select(a => RecurringCycleAttempt.KeyFor(s.Id, 1, a)), charges.Select(c => c.IdempotencyKey));
        var attempts = await AttemptsAsync(_db, s.Id);
        Assert.Equal([new DateOnly(2027, 5, 1), new DateOnly(2027, 5, 4), new DateOnly(2027, 5, 6), new DateOnly(2027, 5, 8)],
            attempts.Select(a => DateOnly.FromDateTime(a.CreatedAtUtc)));
        Assert.All(attempts, a => Assert.Equal(RecurringAttemptStatus.SoftDeclined, a.Status));
        var cycle = Assert.Single(await CyclesAsync(_db, s.Id));
        Assert.Equal((RecurringCycleStatus.Failed, 4, "51"), (cycle.Status, cycle.AttemptCount, cycle.GatewayCode));
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((RecurringScheduleStatus.PastDue, (DateTime?)null, 4), (after.Status, after.NextChargeAtUtc, after.FailedAttempts));
        // The gateway's reason ends with a full stop; the sentence built around it must not double it.
        Assert.Equal("Cycle 1 declined: Insufficient funds, still after the last retry.", after.StatusReason);
        Assert.Contains(await AuditAsync(_db, s.Id), a => a.Action == RecurringAuditActions.ScheduleStopped);
    }

    [Fact]
    public async Task SoftDecline_PausedPastTheRetryThenResumed_WaitingCycleClosedAndNextCycleCharged()
    {
        var s = await NewScheduleAsync("soft");
        await Runner().RunDueAsync();
        var service = RecurringTestData.Service(_db, _gateway, _clock);
        await service.PauseAsync(s.Id, Finance);
        _clock.Advance(TimeSpan.FromDays(20));

        var resumed = await service.ResumeAsync(s.Id, Finance);

        Assert.Equal(2, resumed.NextCycleNumber);
        var cycle = Assert.Single(await CyclesAsync(_db, s.Id));
        Assert.Equal(RecurringCycleStatus.Failed, cycle.Status);
        Assert.Contains("paused", cycle.GatewayMessage);
        Assert.Single(_gateway.Charges);
    }

    [Fact]
    public async Task SoftDecline_CancelledWhileWaitingForARetry_CycleClosedNoRetry()
    {
        var s = await NewScheduleAsync("soft");
        await Runner().RunDueAsync();

        await RecurringTestData.Service(_db, _gateway, _clock).CancelAsync(s.Id, null, Finance);
        await RunDaysAsync(10);

        Assert.Equal(RecurringCycleStatus.Failed, Assert.Single(await CyclesAsync(_db, s.Id)).Status);
        Assert.Single(_gateway.Charges);
    }

    [Fact]
    public async Task SoftDecline_AfterLastRetryCancel_ScheduleCancelled()
    {
        var options = new RecurringOptions { RetryDays = [2], AfterLastRetry = RecurringAfterLastRetry.Cancel };
        var s = await NewScheduleAsync("soft");

        await Runner(options).RunDueAsync();
        await RunDaysAsync(5, options);

        Assert.Equal(2, _gateway.Charges.Count);
        Assert.Equal(RecurringScheduleStatus.Cancelled, (await ScheduleAsync(_db, s.Id)).Status);
    }

    [Fact]
    public async Task HardDecline_NeedsAttentionNoRetry_ResumeChargesTheNextCycleOnly()
    {
        var s = await NewScheduleAsync("hard");

        await Runner().RunDueAsync();
        await RunDaysAsync(40);

        var charge = Assert.Single(_gateway.Charges);
        Assert.Equal(TokenChargeKind.RecurringFirst, charge.Kind);
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((RecurringScheduleStatus.NeedsAttention, (DateTime?)null), (after.Status, after.NextChargeAtUtc));
        Assert.Contains("Stolen card", after.StatusReason);
        Assert.Equal(RecurringAttemptStatus.HardDeclined, Assert.Single(await AttemptsAsync(_db, s.Id)).Status);
        Assert.Equal(RecurringCycleStatus.Failed, Assert.Single(await CyclesAsync(_db, s.Id)).Status);

        // 10 June: resuming moves to the first cycle due today or later (1 July), never back to the failed one.
        var resumed = await RecurringTestData.Service(_db, _gateway, _clock).ResumeAsync(s.Id, Finance);
        Assert.Equal((3, new DateTime(2027, 7, 1, 0, 0, 0, DateTimeKind.Utc)), (resumed.NextCycleNumber, resumed.NextChargeAtUtc));
    }

    [Fact]
    public async Task LostAnswer_PendingVerification_ResolvedByQueryWithTheSameKeyAndOneCharge()
    {
        var s = await NewScheduleAsync("lost");

        var first = await Runner().RunDueAsync();
        Assert.Equal(1, first.PendingVerification);
        var cycle = Assert.Single(await CyclesAsync(_db, s.Id));
        Assert.Equal(RecurringCycleStatus.PendingVerification, cycle.Status);
        Assert.Null(cycle.PaymentId);
        Assert.NotNull((await ScheduleAsync(_db, s.Id)).OpenAttemptKey);

        // Not yet time to ask again: nothing happens.
        Assert.Equal(0, (await Runner().RunDueAsync()).Claimed);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var second = await Runner().RunDueAsync();

        Assert.Equal(1, second.Succeeded);
        var key = RecurringCycleAttempt.KeyFor(s.Id, 1, 1);
        Assert.Equal(1, _gateway.RequestsFor(key));
        Assert.Single(_gateway.Charges);
        Assert.Equal([key], _gateway.Queries);
        cycle = Assert.Single(await CyclesAsync(_db, s.Id));
        Assert.Equal(RecurringCycleStatus.Succeeded, cycle.Status);
        var attempt = Assert.Single(await AttemptsAsync(_db, s.Id));
        Assert.Equal((RecurringAttemptStatus.Approved, 1), (attempt.Status, attempt.SendCount));
        await using var db = _db.CreateDbContext();
        Assert.Equal(cycle.PaymentId, (await db.Set<PaymentTransaction>().SingleAsync(t => t.TrackingId == key)).PaymentId);
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((2, (string?)null), (after.NextCycleNumber, after.OpenAttemptKey));
    }

    [Fact]
    public async Task LostAnswer_QueryFindsAnotherAmountUnderTheKey_NotRecordedAsTheCharge_StaysPendingVerification()
    {
        var s = await NewScheduleAsync("lost");
        await Runner().RunDueAsync();
        var key = RecurringCycleAttempt.KeyFor(s.Id, 1, 1);
        // Something else sits under this tracking id at the gateway (e.g. a refund sent with the same key).
        _gateway.QueryOverrides[key] = new GatewayResult.Approved("fake-other", 1, "EUR");

        _clock.Advance(TimeSpan.FromSeconds(61));
        var second = await Runner().RunDueAsync();

        Assert.Equal((0, 1), (second.Succeeded, second.PendingVerification));
        var cycle = Assert.Single(await CyclesAsync(_db, s.Id));
        Assert.Equal(RecurringCycleStatus.PendingVerification, cycle.Status);
        Assert.Null(cycle.PaymentId);
        await using var db = _db.CreateDbContext();
        Assert.False(await db.Set<PaymentTransaction>().AnyAsync(t => t.TrackingId == key));
        Assert.Equal(1, _gateway.RequestsFor(key));
    }

    [Fact]
    public async Task PendingAtTheGateway_StaysPendingVerification_NeverChargedAgain()
    {
        var s = await NewScheduleAsync("pending");
        await Runner().RunDueAsync();
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(2));
            await Runner().RunDueAsync();
        }

        Assert.Single(_gateway.Charges);
        Assert.Equal(3, _gateway.Queries.Count);
        Assert.Equal(RecurringCycleStatus.PendingVerification, Assert.Single(await CyclesAsync(_db, s.Id)).Status);

        // Pausing does not abandon the open charge: it is still resolved.
        await RecurringTestData.Service(_db, _gateway, _clock).PauseAsync(s.Id, Finance);
        var key = RecurringCycleAttempt.KeyFor(s.Id, 1, 1);
        _gateway.QueryOverrides[key] = new GatewayResult.Approved("fake-late", 1_000, "EUR");
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Runner().RunDueAsync();
        Assert.Equal(RecurringCycleStatus.Succeeded, Assert.Single(await CyclesAsync(_db, s.Id)).Status);
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((RecurringScheduleStatus.Paused, (string?)null), (after.Status, after.OpenAttemptKey));
        Assert.Single(_gateway.Charges);
    }

    [Fact]
    public async Task AnswerLostBeforeReachingTheGateway_QuerySaysNotFound_SentAgainWithTheSameKeyOnce()
    {
        var s = await NewScheduleAsync("approve");
        var dropping = new DropFirstChargeGateway(_gateway);

        await Runner(gateway: dropping).RunDueAsync();
        Assert.Empty(_gateway.Charges);
        _clock.Advance(TimeSpan.FromSeconds(61));
        await Runner(gateway: dropping).RunDueAsync();

        var key = RecurringCycleAttempt.KeyFor(s.Id, 1, 1);
        Assert.Equal(key, Assert.Single(_gateway.Charges).IdempotencyKey);
        var attempt = Assert.Single(await AttemptsAsync(_db, s.Id));
        Assert.Equal((RecurringAttemptStatus.Approved, 2), (attempt.Status, attempt.SendCount));
    }

    [Fact]
    public async Task SecondCycle_SentAsMerchantInitiatedCycle()
    {
        await NewScheduleAsync("approve");
        await Runner().RunDueAsync();
        await RunDaysAsync(31);

        Assert.Equal([TokenChargeKind.RecurringFirst, TokenChargeKind.MerchantInitiatedCycle], _gateway.Charges.Select(c => c.Kind));
    }

    [Fact]
    public async Task AfterCycles_CompletesAfterTheLastCycle()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var s = await RecurringTestData.Service(_db, _gateway, _clock).CreateAsync(
            Create(p, t, new DateOnly(2027, 5, 1), unit: RecurringIntervalUnit.Week, end: RecurringEndKind.AfterCycles, maxCycles: 3), Finance);

        await Runner().RunDueAsync();
        await RunDaysAsync(30);

        Assert.Equal(3, _gateway.Charges.Count);
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((RecurringScheduleStatus.Completed, 3, (DateTime?)null), (after.Status, after.SucceededCycles, after.NextChargeAtUtc));
    }

    [Fact]
    public void Options_Validate_NamesEveryBadKey()
    {
        var errors = new RecurringOptions { BatchSize = 0, RetryDays = [5, 3], ClaimLeaseSeconds = 1, VerifyAfterSeconds = 0, Parallelism = 0 }.Validate();
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("Recurring:RetryDays must be increasing"));
        Assert.Empty(new RecurringOptions().Validate());
    }

    /// <summary>The first charge never reaches the gateway (connection dropped): the caller sees a failure.</summary>
    private sealed class DropFirstChargeGateway(IPaymentGateway inner) : IPaymentGateway
    {
        private int _calls;

        public string Name => inner.Name;

        public Task<GatewayResult> ChargeTokenAsync(ChargeRequest request, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new HttpRequestException("connection reset")
                : inner.ChargeTokenAsync(request, cancellationToken);

        public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default) => inner.RefundAsync(request, cancellationToken);

        public Task<GatewayResult> QueryAsync(string id, CancellationToken cancellationToken = default) => inner.QueryAsync(id, cancellationToken);

        public Task<GatewayResult> QueryByIdempotencyKeyAsync(string key, CancellationToken cancellationToken = default) =>
            inner.QueryByIdempotencyKeyAsync(key, cancellationToken);
    }
}
