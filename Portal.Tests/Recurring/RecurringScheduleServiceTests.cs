using Microsoft.EntityFrameworkCore;
using Portal.Domain.Gateways;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>Finance's commands: roles enforced by the service, validation per field, state rules, audit with before/after.</summary>
public sealed class RecurringScheduleServiceTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Utc(2027, 3, 10));
    private readonly FakeTokenGateway _gateway = new();

    public void Dispose() => _db.Dispose();

    private RecurringScheduleService Service(RecurringOptions? options = null) => RecurringTestData.Service(_db, _gateway, _clock, options);

    private RecurringChargeRunner Runner() => RecurringTestData.Runner(_db, _gateway, _clock);

    private static DateOnly Day(int y, int m, int d) => new(y, m, d);

    private async Task<RecurringScheduleView> NewScheduleAsync(string token = "approve", DateOnly? start = null, long amount = 1_000)
    {
        var (p, t) = await SeedSourceAsync(_db, token);
        return await Service().CreateAsync(Create(p, t, start ?? Day(2027, 3, 10), amount), Finance);
    }

    [Fact]
    public async Task CreateAsync_Finance_ActiveScheduleWithMaskedCardProtectedTokenAndAudit()
    {
        var (p, t) = await SeedSourceAsync(_db, "tok_secret_123");

        var view = await Service().CreateAsync(Create(p, t, Day(2027, 3, 31), 2_500), Finance);

        Assert.Equal(RecurringScheduleStatus.Active, view.Status);
        Assert.Equal((2_500L, "EUR", 1), (view.AmountMinor, view.Currency, view.NextCycleNumber));
        Assert.Equal(new DateTime(2027, 3, 31, 0, 0, 0, DateTimeKind.Utc), view.NextChargeAtUtc);
        Assert.Equal("VISA •••• 1111", view.MaskedCard);
        Assert.Equal("ada@example.com", view.CustomerEmail);
        var stored = await ScheduleAsync(_db, view.Id);
        Assert.DoesNotContain("tok_secret_123", stored.CardTokenProtected);
        Assert.Equal("tok_secret_123", Tokens.Unprotect(stored.CardTokenProtected));
        var audit = Assert.Single(await AuditAsync(_db, view.Id));
        Assert.Equal((RecurringAuditActions.Created, Finance.Actor.Id, 2_500L), (audit.Action, audit.ActorId, audit.AmountAfter));
        Assert.DoesNotContain("tok_secret", audit.After + audit.Details);
    }

    [Fact]
    public async Task CreateAsync_SameIdempotencyKeyTwice_OneSchedule()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var command = Create(p, t, Day(2027, 3, 10)) with { IdempotencyKey = "dialog-key-123456" };

        var first = await Service().CreateAsync(command, Finance);
        var second = await Service().CreateAsync(command, Finance);

        Assert.Equal(first.Id, second.Id);
        await using var db = _db.CreateDbContext();
        Assert.Equal(1, await db.Set<RecurringSchedule>().CountAsync());
    }

    [Fact]
    public async Task CreateAsync_BadInput_OneMessagePerFieldAndNothingStored()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var bad = new CreateRecurringSchedule(p, t, 0, "XXX", " ", RecurringIntervalUnit.Month, 0, Day(2027, 3, 1),
            RecurringEndKind.AfterCycles, null, 0);

        var e = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(bad, Finance));

        Assert.Equal(RecurringRefusal.Invalid, e.Refusal);
        Assert.Equal(
            ["AmountMinor", "Currency", "Description", "IntervalCount", "MaxCycles", "StartDate"],
            e.Errors.Keys.Order());
        Assert.Contains("more than 0", e.Errors["AmountMinor"]);
        Assert.Contains("past", e.Errors["StartDate"]);
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.Set<RecurringSchedule>().CountAsync());
    }

    [Fact]
    public async Task Validate_EndDateBeforeStartAndTooLongInterval_FieldMessages()
    {
        var errors = Service().Validate(new CreateRecurringSchedule("pay_1", "txn_1", 100, "EUR", "x", RecurringIntervalUnit.Year, 11,
            Day(2027, 4, 1), RecurringEndKind.OnDate, Day(2027, 3, 31)));
        Assert.Equal(["EndDate", "IntervalCount"], errors.Keys.Order());
        Assert.Contains("on or after the start date", errors["EndDate"]);
        Assert.Empty(Service().Validate(Create("pay_1", "txn_1", Day(2027, 3, 10))));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CreateAsync_TransactionWithoutTokenOtherGatewayCurrencyOrFailed_RefusedPerField()
    {
        var (p1, t1) = await SeedSourceAsync(_db, "approve", gatewayId: "voucherly");
        var e1 = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(Create(p1, t1, Day(2027, 3, 10)), Finance));
        Assert.Contains("ecomcharge only", e1.Errors["TransactionId"]);

        var (p2, t2) = await SeedSourceAsync(_db, "approve");
        var e2 = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(Create(p2, t2, Day(2027, 3, 10), currency: "USD"), Finance));
        Assert.Contains("charged in EUR", e2.Errors["Currency"]);

        var (p3, t3) = await SeedSourceAsync(_db, "approve", status: TransactionStatus.Failed);
        var e3 = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(Create(p3, t3, Day(2027, 3, 10)), Finance));
        Assert.Contains("successful transaction", e3.Errors["TransactionId"]);

        var e4 = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(Create(p3, "txn_missing", Day(2027, 3, 10)), Finance));
        Assert.Equal(RecurringRefusal.NotFound, e4.Refusal);
    }

    [Fact]
    public async Task CreateAsync_SourceWithoutStoredToken_Refused()
    {
        var payment = Payment.Create(new NewPayment { Currency = global::Portal.Domain.Money.Currency.EUR, Source = PaymentSource.EComCharge, CreatedAtUtc = DateTime.UtcNow });
        payment.AddLine(new NewPaymentLine { UnitAmount = 500 });
        var t = payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = DateTime.UtcNow, Gateway = new GatewayRef("ecomcharge", "ecomcharge"), Status = TransactionStatus.Confirmed,
            RequestedAmount = 500, ProcessedAmount = 500, ConfirmedAmount = 500,
        }, "test");
        await using (var db = _db.CreateDbContext())
        {
            db.Add(payment);
            await db.SaveChangesAsync();
        }

        var e = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().CreateAsync(Create(payment.Id, t.Id, Day(2027, 3, 10)), Finance));

        Assert.Contains("no stored card token", e.Errors["TransactionId"]);
    }

    public static TheoryData<string> Commands => ["create", "pause", "resume", "cancel", "amount", "charge-now"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryWrite_StaffOrAdmin_RefusedByTheServiceAuditedAndNothingChanges(string command)
    {
        var schedule = await NewScheduleAsync();
        var (p, t) = await SeedSourceAsync(_db, "approve");
        foreach (var user in new[] { Staff, Admin })
        {
            Task call = command switch
            {
                "create" => Service().CreateAsync(Create(p, t, Day(2027, 3, 10)), user),
                "pause" => Service().PauseAsync(schedule.Id, user),
                "resume" => Service().ResumeAsync(schedule.Id, user),
                "cancel" => Service().CancelAsync(schedule.Id, "crafted", user),
                "amount" => Service().ChangeAmountAsync(schedule.Id, 99, user),
                _ => Service().ChargeNextNowAsync(schedule.Id, user),
            };
            var e = await Assert.ThrowsAsync<RecurringScheduleException>(() => call);
            Assert.Equal(RecurringRefusal.Forbidden, e.Refusal);
            Assert.Contains("Only finance", e.Message);
        }

        var after = await ScheduleAsync(_db, schedule.Id);
        Assert.Equal((RecurringScheduleStatus.Active, 1_000L, 1), (after.Status, after.AmountMinor, after.NextCycleNumber));
        Assert.Empty(_gateway.Charges);
        await using var db = _db.CreateDbContext();
        Assert.Equal(1, await db.Set<RecurringSchedule>().CountAsync());
        var refusals = await db.Set<global::Portal.Domain.Audit.AuditEntry>().Where(a => a.Action == RecurringAuditActions.Refused).ToListAsync();
        Assert.Equal(2, refusals.Count);
        Assert.Equal([Admin.Actor.Id, Staff.Actor.Id], refusals.Select(r => r.ActorId).Order());
    }

    [Fact]
    public async Task PauseResumeCancel_FollowTheRules_CancelIsFinal()
    {
        var s = await NewScheduleAsync();
        var service = Service();

        Assert.Equal(RecurringScheduleStatus.Paused, (await service.PauseAsync(s.Id, Finance)).Status);
        var again = await Assert.ThrowsAsync<RecurringScheduleException>(() => service.PauseAsync(s.Id, Finance));
        Assert.Equal(RecurringRefusal.Conflict, again.Refusal);
        Assert.Equal(RecurringScheduleStatus.Active, (await service.ResumeAsync(s.Id, Finance)).Status);
        var cancelled = await service.CancelAsync(s.Id, "customer left", Finance);
        Assert.Equal(RecurringScheduleStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.NextChargeAtUtc);
        Assert.Contains("customer left", cancelled.StatusReason);
        foreach (var action in new Func<Task>[]
                 {
                     () => service.ResumeAsync(s.Id, Finance), () => service.PauseAsync(s.Id, Finance),
                     () => service.CancelAsync(s.Id, null, Finance), () => service.ChangeAmountAsync(s.Id, 5, Finance),
                     () => service.ChargeNextNowAsync(s.Id, Finance),
                 })
            Assert.Equal(RecurringRefusal.Conflict, (await Assert.ThrowsAsync<RecurringScheduleException>(action)).Refusal);

        var actions = (await AuditAsync(_db, s.Id)).Select(a => a.Action).ToList();
        Assert.Equal([RecurringAuditActions.Created, RecurringAuditActions.Paused, RecurringAuditActions.Resumed, RecurringAuditActions.Cancelled], actions);
        Assert.Equal(0, (await Runner().RunDueAsync()).Claimed);
        Assert.Empty(_gateway.Charges);
    }

    [Fact]
    public async Task Pause_CyclesFallingDueAreSkipped_ResumeChargesFromTheFirstCycleDueTodayOrLater()
    {
        var s = await NewScheduleAsync(start: Day(2027, 3, 10));
        await Runner().RunDueAsync();                       // cycle 1 on 10 March
        await Service().PauseAsync(s.Id, Finance);
        _clock.Advance(TimeSpan.FromDays(62));               // 11 May: cycles 2 (10 Apr) and 3 (10 May) fell due while paused
        Assert.Equal(0, (await Runner().RunDueAsync()).Claimed);

        var resumed = await Service().ResumeAsync(s.Id, Finance);

        Assert.Equal(4, resumed.NextCycleNumber);
        Assert.Equal(new DateTime(2027, 6, 10, 0, 0, 0, DateTimeKind.Utc), resumed.NextChargeAtUtc);
        _clock.Advance(TimeSpan.FromDays(30));
        await Runner().RunDueAsync();
        Assert.Equal([1, 4], (await CyclesAsync(_db, s.Id)).Select(c => c.Number));
    }

    [Fact]
    public async Task ChangeAmount_AppliesFromTheNextCycle_AuditedWithBeforeAndAfter()
    {
        var s = await NewScheduleAsync(amount: 1_000);
        await Runner().RunDueAsync();

        var changed = await Service().ChangeAmountAsync(s.Id, 1_550, Finance);
        _clock.Advance(TimeSpan.FromDays(31));
        await Runner().RunDueAsync();

        Assert.Equal(1_550, changed.AmountMinor);
        var cycles = await CyclesAsync(_db, s.Id);
        Assert.Equal([1_000L, 1_550L], cycles.Select(c => c.AmountMinor));
        Assert.Equal([1_000L, 1_550L], _gateway.Charges.Select(c => c.AmountMinor));
        var entry = Assert.Single(await AuditAsync(_db, s.Id), a => a.Action == RecurringAuditActions.AmountChanged);
        Assert.Equal((1_000L, 1_550L, "EUR"), (entry.AmountBefore, entry.AmountAfter, entry.Currency));
        Assert.Contains("\"amountMinor\":1000", entry.Before);
        Assert.Contains("\"amountMinor\":1550", entry.After);
        var same = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().ChangeAmountAsync(s.Id, 1_550, Finance));
        Assert.Equal(RecurringRefusal.Invalid, same.Refusal);
        var zero = await Assert.ThrowsAsync<RecurringScheduleException>(() => Service().ChangeAmountAsync(s.Id, 0, Finance));
        Assert.True(zero.Errors.ContainsKey("AmountMinor"));
    }

    [Fact]
    public async Task ChargeNextNow_FutureCycle_ChargedAtOnceAsRecurringFirstThenNextCycleKeepsItsDate()
    {
        var s = await NewScheduleAsync(start: Day(2027, 3, 20));

        var outcome = await Service().ChargeNextNowAsync(s.Id, Finance);

        Assert.Equal((1, RecurringCycleStatus.Succeeded, RecurringScheduleStatus.Active), (outcome.CycleNumber, outcome.Status, outcome.ScheduleStatus));
        Assert.NotNull(outcome.PaymentId);
        var charge = Assert.Single(_gateway.Charges);
        Assert.Equal(TokenChargeKind.RecurringFirst, charge.Kind);
        Assert.Equal(RecurringCycleAttempt.KeyFor(s.Id, 1, 1), charge.IdempotencyKey);
        var after = await ScheduleAsync(_db, s.Id);
        Assert.Equal((2, new DateTime(2027, 4, 20, 0, 0, 0, DateTimeKind.Utc)), (after.NextCycleNumber, after.NextChargeAtUtc));
        Assert.Contains(await AuditAsync(_db, s.Id), a => a.Action == RecurringAuditActions.ChargeNow && a.ActorId == Finance.Actor.Id);

        // The payment in the canonical model: confirmed, keyed by the attempt, child of the source payment.
        await using var db = _db.CreateDbContext();
        var payment = await db.Set<Payment>().AsNoTracking().WithAggregate().SingleAsync(p => p.Id == outcome.PaymentId);
        var t = Assert.Single(payment.Transactions);
        Assert.Equal((TransactionStatus.Confirmed, 1_000L, charge.IdempotencyKey, "ecomcharge"), (t.Status, t.ConfirmedAmount, t.TrackingId, t.GatewayId));
        Assert.Equal(PaymentStatus.Confirmed, payment.Status);
        Assert.Equal(s.SourcePaymentId, payment.ParentPaymentId);
        Assert.Equal("1111", t.CardLast4);
    }
}
