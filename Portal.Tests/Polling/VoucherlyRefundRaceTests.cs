using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Refunds;
using Portal.Tests.Domain.Refunds;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Polling;

/// <summary>
/// A portal refund of a Voucherly transaction and the Voucherly sync reading the same payment, in
/// every order that matters, on a real SQLite file. The interleavings are driven from inside the
/// fakes (the refund gateway's call, Voucherly's answer), so each one happens exactly, without sleeps.
/// </summary>
public sealed class VoucherlyRefundRaceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeVoucherly _voucherly = new();
    private readonly FakeRefundGateway _gateway = new();
    private readonly string _id = "vly_race_" + Guid.NewGuid().ToString("N");
    private readonly string _tid = Guid.NewGuid().ToString();

    public void Dispose() => _db.Dispose();

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private VoucherlySync Sync() => new(_db, _voucherly, _clock, NullLogger<VoucherlySync>.Instance);

    private RefundService Refunds() => Service(_db, _gateway, _clock);

    /// <summary>Voucherly now holds the payment with <paramref name="refunded"/> of its 100.00 given back.</summary>
    private void VoucherlyShows(long refunded) => _voucherly.Put(FakeVoucherly.Payment(_id, _tid, Now, refunded: refunded));

    /// <summary>A confirmed 100.00 Voucherly payment, imported the way the portal learns of one.</summary>
    private async Task ImportConfirmedAsync()
    {
        VoucherlyShows(0);
        Assert.Equal(VoucherlySyncOutcome.Created, (await Sync().ImportAsync(_id, default)).Outcome);
        _clock.Advance(TimeSpan.FromMinutes(5));
    }

    private Task<PaymentTransaction> TransactionAsync() => RefundTestData.TransactionAsync(_db, _id, _tid);

    private async Task<List<PaymentStatusChange>> HistoryAsync() =>
        (await PaymentAsync(_db, _id)).StatusChanges.Where(c => c.TransactionId == _tid).ToList();

    [Fact]
    public async Task PartialRefund_SyncReadsAfterVoucherlyRefundedBeforeSettle_RefundCountedOnce()
    {
        await ImportConfirmedAsync();
        VoucherlySyncResult? midCall = null;
        _gateway.During = async call =>
        {
            VoucherlyShows(3_000); // Voucherly has applied the refund; the portal has not heard back yet.
            midCall = await Sync().ImportAsync(_id, default);
        };

        var result = await Refunds().RequestAsync(Request(_id, _tid, 3_000), Admin);

        Assert.NotNull(midCall);
        Assert.Equal(RefundStatus.Succeeded, result.Refund.Status);
        var t = await TransactionAsync();
        Assert.Equal((3_000L, 0L, 7_000L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.RefundReservedAmount, t.AvailableToRefund, t.Status));

        // And the next read agrees with what the portal recorded.
        Assert.Equal(VoucherlySyncOutcome.Unchanged, (await Sync().ImportAsync(_id, default)).Outcome);
        Assert.Equal(3_000L, (await TransactionAsync()).RefundedAmount);
    }

    [Fact]
    public async Task FullRefund_SyncReadsAfterVoucherlyRefundedBeforeSettle_RefundSucceedsAndIsRecordedByTheRefund()
    {
        await ImportConfirmedAsync();
        _gateway.During = async _ =>
        {
            VoucherlyShows(10_000);
            await Sync().ImportAsync(_id, default);
        };

        var result = await Refunds().RequestAsync(Request(_id, _tid, 10_000), Admin);

        Assert.Equal(RefundStatus.Succeeded, result.Refund.Status);
        var refund = Assert.Single(await RefundsAsync(_db, _tid));
        Assert.DoesNotContain("could not record", refund.GatewayMessage ?? "");
        var t = await TransactionAsync();
        Assert.Equal((10_000L, 0L, TransactionStatus.Refunded), (t.RefundedAmount, t.RefundReservedAmount, t.Status));
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(_db, _id)).Status);
        // The refund itself moved the transaction, once; the sync's read did not pre-empt it.
        var moves = (await HistoryAsync()).Where(c => c.ToStatus == nameof(TransactionStatus.Refunded)).ToList();
        var move = Assert.Single(moves);
        Assert.Equal(("ui:admin@portal.local", true), (move.Source, move.Applied));

        Assert.Equal(VoucherlySyncOutcome.Unchanged, (await Sync().ImportAsync(_id, default)).Outcome);
    }

    [Fact]
    public async Task Refund_SettledBeforeTheSyncReads_ReadIsANoOp()
    {
        await ImportConfirmedAsync();
        await Refunds().RequestAsync(Request(_id, _tid, 4_000), Admin);
        VoucherlyShows(4_000);
        var before = await PaymentAsync(_db, _id);

        var read = await Sync().ImportAsync(_id, default);

        Assert.Equal(VoucherlySyncOutcome.Unchanged, read.Outcome);
        var after = await PaymentAsync(_db, _id);
        Assert.Equal((before.Version, before.StatusChanges.Count), (after.Version, after.StatusChanges.Count));
        Assert.Equal(4_000L, (await TransactionAsync()).RefundedAmount);
    }

    [Fact]
    public async Task StaleAnswer_RefundSettledWhileVoucherlyWasAnswering_NotAppliedAndReadAgain()
    {
        await ImportConfirmedAsync();
        await Refunds().RequestAsync(Request(_id, _tid, 3_000), Admin);
        VoucherlyShows(3_000);
        Assert.Equal(VoucherlySyncOutcome.Unchanged, (await Sync().ImportAsync(_id, default)).Outcome);

        // The sync asks Voucherly (which still shows 30.00 refunded); before the answer arrives a
        // second portal refund of 20.00 goes through completely.
        _voucherly.WhileAnswering = async _ =>
        {
            await Refunds().RequestAsync(Request(_id, _tid, 2_000), Admin);
            VoucherlyShows(5_000);
        };
        var stale = await Sync().ImportAsync(_id, default);

        Assert.Equal(VoucherlySyncOutcome.Conflict, stale.Outcome);
        var t = await TransactionAsync();
        Assert.Equal((5_000L, 5_000L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.AvailableToRefund, t.Status));

        Assert.Equal(VoucherlySyncOutcome.Unchanged, (await Sync().ImportAsync(_id, default)).Outcome);
        Assert.Equal(5_000L, (await TransactionAsync()).RefundedAmount);
    }

    [Fact]
    public async Task RefundInFlight_VoucherlyAlsoShowsABackOfficeRefund_DeferredThenTakenOnceSettled()
    {
        await ImportConfirmedAsync();
        VoucherlySyncResult? midCall = null;
        _gateway.During = async _ =>
        {
            // Voucherly has applied the portal's 30.00 and, meanwhile, 10.00 refunded in its own back office.
            VoucherlyShows(4_000);
            midCall = await Sync().ImportAsync(_id, default);
        };

        await Refunds().RequestAsync(Request(_id, _tid, 3_000), Admin);

        Assert.Contains("left until the portal's refund", midCall!.Detail);
        Assert.Equal(3_000L, (await TransactionAsync()).RefundedAmount);

        Assert.Equal(VoucherlySyncOutcome.Updated, (await Sync().ImportAsync(_id, default)).Outcome);
        var t = await TransactionAsync();
        Assert.Equal((4_000L, 6_000L, TransactionStatus.RefundedPartially), (t.RefundedAmount, t.AvailableToRefund, t.Status));
    }

    [Fact]
    public async Task RefundInFlight_SyncReadsBeforeVoucherlyApplied_NothingChanges()
    {
        await ImportConfirmedAsync();
        VoucherlySyncResult? midCall = null;
        _gateway.During = async _ => midCall = await Sync().ImportAsync(_id, default);

        await Refunds().RequestAsync(Request(_id, _tid, 3_000), Admin);

        Assert.Equal(VoucherlySyncOutcome.Unchanged, midCall!.Outcome);
        Assert.Equal(3_000L, (await TransactionAsync()).RefundedAmount);
    }

    [Fact]
    public async Task ReservationLandsBetweenTheSyncsReadAndItsSave_SyncConflictsAndNeverOverRefunds()
    {
        await ImportConfirmedAsync();
        VoucherlyShows(10_000); // Voucherly's back office refunded everything.
        // An admin's refund reserves 30.00 after the sync loaded the transaction, before it saves.
        var reserved = false;
        var sync = new VoucherlySync(new ReservingFactory(_db, async () =>
        {
            await using var other = _db.CreateDbContext();
            reserved = await RefundSettlement.TryReserveAsync(other, _id, _tid, 3_000, maxAttempts: 10, default);
        }), _voucherly, _clock, NullLogger<VoucherlySync>.Instance);

        var read = await sync.ImportAsync(_id, default);

        Assert.True(reserved);
        Assert.Equal(VoucherlySyncOutcome.Conflict, read.Outcome);
        var t = await TransactionAsync();
        Assert.Equal((0L, 3_000L, TransactionStatus.Confirmed), (t.RefundedAmount, t.RefundReservedAmount, t.Status));
        Assert.True(t.RefundedAmount + t.RefundReservedAmount <= t.ConfirmedAmount);

        // The next read sees the reservation and leaves the transaction to the refund in flight.
        Assert.Contains("left until the portal's refund", (await Sync().ImportAsync(_id, default)).Detail);
        Assert.Equal(0L, (await TransactionAsync()).RefundedAmount);
    }

    /// <summary>Contexts whose first save runs <paramref name="beforeFirstSave"/> first, on another connection.</summary>
    private sealed class ReservingFactory(TestDatabase db, Func<Task> beforeFirstSave) : IDbContextFactory<DbContext>
    {
        private readonly OnceBeforeSave _interceptor = new(beforeFirstSave);

        public DbContext CreateDbContext() => new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>(TestDatabase.Options(db.File))
            .AddInterceptors(_interceptor).Options);

        private sealed class OnceBeforeSave(Func<Task> action) : SaveChangesInterceptor
        {
            private int _done;

            public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
                CancellationToken cancellationToken = default)
            {
                if (Interlocked.Exchange(ref _done, 1) == 0) await action();
                return result;
            }
        }
    }
}
