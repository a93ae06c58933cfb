using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Refunds;
using Portal.Persistence;
using Portal.Tests.Domain.Refunds;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Polling;

/// <summary>
/// The Voucherly sync's second queue: settled payments read again on a slower cadence, within a
/// horizon, without starving the open ones; on real SQLite with a hand-written Voucherly and a fixed clock.
/// </summary>
public sealed class VoucherlyRecheckTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Start);
    private readonly FakeVoucherly _voucherly = new();

    public void Dispose() => _db.Dispose();

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private VoucherlySync Sync(IDbContextFactory<DbContext>? db = null) =>
        new(db ?? _db, _voucherly, _clock, NullLogger<VoucherlySync>.Instance,
            Options.Create(new VoucherlyRecheckOptions { RecheckIntervalMinutes = 360, RecheckHorizonDays = 120 }));

    private static string NewId() => "vly_rc_" + Guid.NewGuid().ToString("N");

    /// <summary>Imports a Voucherly payment of 100.00 (confirmed unless told otherwise), created at <paramref name="createdAtUtc"/>; returns (id, transaction id).</summary>
    private async Task<(string Id, string Tid)> ImportAsync(long confirmed = 10_000, DateTime? createdAtUtc = null)
    {
        var (id, tid) = (NewId(), Guid.NewGuid().ToString());
        var report = FakeVoucherly.Payment(id, tid, Now, confirmed: confirmed);
        if (createdAtUtc is { } at) report = report with { CloseCheckout = new VoucherlyEventReport(true, at) };
        _voucherly.Put(report);
        Assert.Equal(VoucherlySyncOutcome.Created, (await Sync().ImportAsync(id, default)).Outcome);
        return (id, tid);
    }

    private async Task<VoucherlySyncState> StateAsync(string paymentId)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<VoucherlySyncState>().AsNoTracking().SingleAsync(s => s.PaymentId == paymentId);
    }

    private async Task<PaymentTransaction> TransactionAsync(string id, string tid) => await RefundTestData.TransactionAsync(_db, id, tid);

    private async Task<(VoucherlySyncBatchResult Result, List<string> Reads)> RunAsync(int batchSize = 100)
    {
        var before = _voucherly.Reads.Count;
        var result = await Sync().SyncOpenPaymentsAsync(batchSize, default);
        return (result, _voucherly.Reads.Skip(before).ToList());
    }

    [Fact]
    public void RecheckedStatuses_AreTheSettledStatusesThatCanStillMove_OnlyConfirmed()
    {
        Assert.Equal([PaymentStatus.Confirmed], VoucherlySync.RecheckedStatuses);
        Assert.All(Enum.GetValues<PaymentStatus>().Except(VoucherlySync.OpenStatuses).Except(VoucherlySync.RecheckedStatuses),
            s => Assert.True(PaymentStatusTransitions.Table.IsFinal(s), $"{s} can still move but is never read again"));
    }

    [Fact]
    public async Task SyncRun_ConfirmedPaymentRefundedInVoucherlyBackOffice_ReadAgainOnceTheIntervalPassedAndRefundTaken()
    {
        var (id, tid) = await ImportAsync();
        Assert.Equal(Now + Interval, (await StateAsync(id)).RecheckDueAtUtc);
        _voucherly.Put(FakeVoucherly.Payment(id, tid, Now, refunded: 4_000));

        _clock.Advance(Interval - TimeSpan.FromMinutes(1));
        var early = await RunAsync();
        Assert.Equal((0, 0), (early.Result.Read, early.Reads.Count));
        Assert.Equal(0L, (await TransactionAsync(id, tid)).RefundedAmount);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var due = await RunAsync();

        Assert.Equal((1, 1, 1), (due.Result.Read, due.Result.Rechecked, due.Result.Updated));
        Assert.Equal([id], due.Reads);
        var t = await TransactionAsync(id, tid);
        Assert.Equal((TransactionStatus.RefundedPartially, 4_000L, 6_000L), (t.Status, t.RefundedAmount, t.AvailableToRefund));
        var state = await StateAsync(id);
        Assert.Equal((Now, Now + Interval, VoucherlySyncOutcome.Updated), (state.LastSyncedAtUtc, state.RecheckDueAtUtc, state.LastOutcome));
    }

    [Fact]
    public async Task SyncRun_SettledPaymentBecomesFinal_NeverReadAgain()
    {
        var (id, tid) = await ImportAsync();
        _voucherly.Put(FakeVoucherly.Payment(id, tid, Now, refunded: 10_000));
        _clock.Advance(Interval);
        Assert.Equal(1, (await RunAsync()).Result.Updated);
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(_db, id)).Status);
        Assert.Null((await StateAsync(id)).RecheckDueAtUtc);

        _clock.Advance(TimeSpan.FromDays(7));
        var later = await RunAsync();

        Assert.Empty(later.Reads);
    }

    [Fact]
    public async Task SyncRun_SettledPaymentReachesTheHorizon_ReadOnceMoreThenNoLonger()
    {
        // Created 120 days minus 8 hours ago: one more re-read fits in the horizon, the next would not.
        var (id, _) = await ImportAsync(createdAtUtc: Now - TimeSpan.FromDays(120) + TimeSpan.FromHours(8));
        Assert.Equal(Now + Interval, (await StateAsync(id)).RecheckDueAtUtc);

        _clock.Advance(Interval);
        Assert.Equal([id], (await RunAsync()).Reads);
        Assert.Null((await StateAsync(id)).RecheckDueAtUtc);

        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Empty((await RunAsync()).Reads);
    }

    [Fact]
    public async Task Import_SettledPaymentOlderThanTheHorizon_NotScheduled()
    {
        var (id, _) = await ImportAsync(createdAtUtc: Now - TimeSpan.FromDays(200));

        Assert.Null((await StateAsync(id)).RecheckDueAtUtc);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty((await RunAsync()).Reads);
    }

    [Fact]
    public async Task Import_OpenPayment_NotInTheSettledQueueUntilConfirmed()
    {
        var (id, tid) = await ImportAsync(confirmed: 0);
        Assert.Null((await StateAsync(id)).RecheckDueAtUtc);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _voucherly.Put(FakeVoucherly.Payment(id, tid, Now));
        var run = await RunAsync();

        Assert.Equal((1, 0, 1), (run.Result.Read, run.Result.Rechecked, run.Result.Updated));
        Assert.Equal(Now + Interval, (await StateAsync(id)).RecheckDueAtUtc);
    }

    [Fact]
    public async Task SyncRun_ManyDueSettledPayments_OpenPaymentsReadEveryRunAndSettledOnesStillProgress()
    {
        var open = new List<string>();
        for (var i = 0; i < 3; i++) open.Add((await ImportAsync(confirmed: 0)).Id);
        var settled = new List<string>();
        for (var i = 0; i < 12; i++) settled.Add((await ImportAsync()).Id);
        _clock.Advance(Interval);

        var readSettled = new HashSet<string>();
        for (var run = 0; run < 3; run++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            var (result, reads) = await RunAsync(batchSize: 4);
            Assert.Equal(4, result.Read);
            Assert.Equal(open.Order(), reads.Intersect(open).Order());
            var settledReads = reads.Intersect(settled).ToList();
            Assert.Equal((1, 1), (settledReads.Count, result.Rechecked));
            Assert.True(readSettled.Add(settledReads[0]), "a settled payment was read twice before the others had their turn");
        }

        // With few open payments the settled queue fills the rest of the batch.
        var (big, bigReads) = await RunAsync(batchSize: 8);
        Assert.Equal((8, 5), (big.Read, big.Rechecked));
        Assert.Empty(bigReads.Intersect(readSettled));
    }

    [Fact]
    public async Task SyncRun_SettledPaymentNotFoundAtVoucherly_GoesToTheBackForAnotherInterval()
    {
        var (id, _) = await ImportAsync();
        var (other, _) = await ImportAsync();
        _voucherly.Forget(other);
        _clock.Advance(Interval);

        var run = await RunAsync();

        Assert.Equal((2, 1, 1), (run.Result.Read, run.Result.Unchanged, run.Result.NotFound));
        var failed = await StateAsync(other);
        Assert.Equal((VoucherlySyncOutcome.NotFound, 1, Now + Interval), (failed.LastOutcome, failed.ConsecutiveFailures, failed.RecheckDueAtUtc));
        Assert.Equal(Now + Interval, (await StateAsync(id)).RecheckDueAtUtc);
    }

    [Fact]
    public async Task SyncRun_SettledPaymentVoucherlyKeepsFailingOnPastTheHorizon_NotReadAgain()
    {
        // Created 120 days minus 8 hours ago: the read at +6h fails, and the next one would be past the horizon.
        var (id, _) = await ImportAsync(createdAtUtc: Now - TimeSpan.FromDays(120) + TimeSpan.FromHours(8));
        _voucherly.Forget(id);
        _clock.Advance(Interval);

        var run = await RunAsync();

        Assert.Equal((1, 1), (run.Result.Read, run.Result.NotFound));
        var state = await StateAsync(id);
        Assert.Equal((VoucherlySyncOutcome.NotFound, (DateTime?)null), (state.LastOutcome, state.RecheckDueAtUtc));
        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Empty((await RunAsync()).Reads);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(1000, 250)]
    public void RecheckShare_AQuarterAndAtLeastOneFromTwoUp(int batchSize, int share) =>
        Assert.Equal(share, VoucherlySync.RecheckShare(batchSize));

    [Fact]
    public async Task SyncRun_BatchOfTwoFullOfOpenPayments_OneDueSettledPaymentStillRead()
    {
        var open = new List<string>();
        for (var i = 0; i < 3; i++) open.Add((await ImportAsync(confirmed: 0)).Id);
        var (settled, _) = await ImportAsync();
        _clock.Advance(Interval);

        var (result, reads) = await RunAsync(batchSize: 2);

        Assert.Equal((2, 1), (result.Read, result.Rechecked));
        Assert.Contains(settled, reads);
    }

    [Fact]
    public async Task SyncRun_SettledPaymentWithAPortalRefundInFlight_DeferredAndReadAgainAtTheNextRun()
    {
        var (id, tid) = await ImportAsync();
        _clock.Advance(Interval);
        var gateway = new FakeRefundGateway();
        VoucherlySyncBatchResult? midCall = null;
        gateway.During = async _ =>
        {
            // Voucherly has applied the portal's 30.00 and a 10.00 refund from its own back office.
            _voucherly.Put(FakeVoucherly.Payment(id, tid, Now, refunded: 4_000));
            midCall = await Sync().SyncOpenPaymentsAsync(100, default);
        };

        await Service(_db, gateway, _clock).RequestAsync(Request(id, tid, 3_000), Admin);

        Assert.Equal((1, 1), (midCall!.Read, midCall.Unchanged));
        Assert.Equal(3_000L, (await TransactionAsync(id, tid)).RefundedAmount);
        Assert.Equal(Now, (await StateAsync(id)).RecheckDueAtUtc);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var next = await RunAsync();

        Assert.Equal((1, 1), (next.Result.Rechecked, next.Result.Updated));
        var t = await TransactionAsync(id, tid);
        Assert.Equal((4_000L, 6_000L), (t.RefundedAmount, t.AvailableToRefund));
        Assert.Equal(Now + Interval, (await StateAsync(id)).RecheckDueAtUtc);
    }

    [Fact]
    public async Task SyncRun_SettledPaymentChangedWhileVoucherlyAnswered_ConflictReadAgainAtTheNextRun()
    {
        var (id, tid) = await ImportAsync();
        _clock.Advance(Interval);
        _voucherly.WhileAnswering = async _ =>
            await Service(_db, new FakeRefundGateway(), _clock).RequestAsync(Request(id, tid, 1_000), Admin);

        var run = await RunAsync();

        Assert.Equal(1, run.Result.Conflicts);
        var state = await StateAsync(id);
        Assert.Equal((VoucherlySyncOutcome.Conflict, Now), (state.LastOutcome, state.RecheckDueAtUtc));
        Assert.Equal(1_000L, (await TransactionAsync(id, tid)).RefundedAmount);

        _voucherly.Put(FakeVoucherly.Payment(id, tid, Now, refunded: 1_000));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var next = await RunAsync();
        Assert.Equal((1, 1), (next.Result.Rechecked, next.Result.Unchanged));
    }

    [Fact]
    public async Task SyncRun_LastReadBeforeTheHorizonConflicts_ReadAgainAtTheNextRunAnyway()
    {
        // Created 120 days minus 8 hours ago: the read at +6h is the last one the horizon allows.
        var (id, tid) = await ImportAsync(createdAtUtc: Now - TimeSpan.FromDays(120) + TimeSpan.FromHours(8));
        _clock.Advance(Interval);
        _voucherly.WhileAnswering = async _ =>
            await Service(_db, new FakeRefundGateway(), _clock).RequestAsync(Request(id, tid, 1_000), Admin);

        Assert.Equal(1, (await RunAsync()).Result.Conflicts);
        Assert.Equal(Now, (await StateAsync(id)).RecheckDueAtUtc);

        _voucherly.Put(FakeVoucherly.Payment(id, tid, Now, refunded: 1_000));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var next = await RunAsync();
        Assert.Equal((1, 1), (next.Result.Rechecked, next.Result.Unchanged));
        Assert.Null((await StateAsync(id)).RecheckDueAtUtc);
    }

    [Fact]
    public async Task ClaimQueries_UseTheirIndexes_NoTableScanNoSortForTheSettledQueue()
    {
        await ImportAsync();
        await ImportAsync(confirmed: 0);
        _clock.Advance(Interval);
        var recorder = new RecordingDatabase(_db.File);

        await Sync(recorder).SyncOpenPaymentsAsync(10, default);

        var openSelect = recorder.Commands.First(c => c.Text.StartsWith("SELECT", StringComparison.Ordinal) && c.Text.Contains("\"Payments\"")
                                                      && c.Text.Contains("\"VoucherlySyncStates\"") && c.Text.Contains("LIMIT"));
        var dueSelect = recorder.Commands.First(c => c.Text.StartsWith("SELECT", StringComparison.Ordinal) && c.Text.Contains("\"RecheckDueAtUtc\" <="));
        var openPlan = Explain(openSelect);
        var duePlan = Explain(dueSelect);

        // Open payments: found through (Source, Status) and sorted (a small set); due ones: read in order off their index.
        Assert.Contains("SEARCH p USING INDEX IX_Payments_Source_Status (Source=? AND Status=?)", openPlan);
        Assert.Contains("SEARCH v USING INDEX IX_VoucherlySyncStates_RecheckDueAtUtc_PaymentId (RecheckDueAtUtc>? AND RecheckDueAtUtc<?)", duePlan);
        Assert.DoesNotContain("TEMP B-TREE", duePlan);
        Assert.DoesNotContain("SCAN ", openPlan + duePlan);
    }

    [Fact]
    public async Task Migration_ConfirmedVoucherlyPaymentsOfTheLast120Days_BecomeDueAtOnce()
    {
        // The migration's SQL reads SQLite's own clock, so these payments are dated from the real clock.
        var now = DateTime.UtcNow;
        var recent = await SeedLinkedAsync(PaymentSource.Voucherly, TransactionStatus.Confirmed, now.AddDays(-10));
        var old = await SeedLinkedAsync(PaymentSource.Voucherly, TransactionStatus.Confirmed, now.AddDays(-200));
        var open = await SeedLinkedAsync(PaymentSource.Voucherly, TransactionStatus.Requested, now.AddDays(-1));
        await using (var db = _db.CreateDbContext())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261122000010_VoucherlySync");
            await migrator.MigrateAsync();
        }

        Assert.Equal((await StateAsync(recent)).LastSyncedAtUtc, (await StateAsync(recent)).RecheckDueAtUtc);
        Assert.Null((await StateAsync(old)).RecheckDueAtUtc);
        Assert.Null((await StateAsync(open)).RecheckDueAtUtc);
    }

    /// <summary>A payment with one transaction and a sync state that has no re-read scheduled (as before the migration).</summary>
    private async Task<string> SeedLinkedAsync(PaymentSource source, TransactionStatus status, DateTime createdAtUtc)
    {
        var payment = Payment.Create(new NewPayment { Currency = Currency.EUR, Source = source, CreatedAtUtc = createdAtUtc });
        payment.AddLine(new NewPaymentLine { UnitAmount = 1_000 });
        var captured = status == TransactionStatus.Confirmed;
        payment.AddTransaction(new NewTransaction
        {
            CreatedAtUtc = createdAtUtc, Status = status, RequestedAmount = 1_000,
            ProcessedAmount = captured ? 1_000 : 0, ConfirmedAmount = captured ? 1_000 : 0,
        }, "test");
        await using var db = _db.CreateDbContext();
        db.Add(payment);
        db.Add(new VoucherlySyncState(payment.Id, payment.Id, createdAtUtc));
        await db.SaveChangesAsync();
        return payment.Id;
    }

    private string Explain(RecordedCommand command)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = explain.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }

    private sealed record RecordedCommand(string Text, List<(string Name, object? Value)> Parameters);

    /// <summary>Contexts on the test database that record every query they send.</summary>
    private sealed class RecordingDatabase(string file) : DbCommandInterceptor, IDbContextFactory<DbContext>
    {
        public List<RecordedCommand> Commands { get; } = [];

        public DbContext CreateDbContext() =>
            new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>(TestDatabase.Options(file)).AddInterceptors(this).Options);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(new RecordedCommand(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
