using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Gateways.Voucherly;
using Portal.Jobs;
using Portal.Persistence;
using Portal.Sandbox.Voucherly;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

/// <summary>The Voucherly sync against the Voucherly sandbox over real HTTP, each test on its own SQLite file.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class VoucherlySyncTests(GatewaySandboxFixture fixture) : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();

    private VoucherlySandboxStore Sandbox => fixture.Service<VoucherlySandboxStore>();

    private VoucherlySync Sync(IDbContextFactory<DbContext>? db = null) =>
        new(db ?? _db, fixture.Service<IVoucherlyPayments>(), TimeProvider.System, NullLogger<VoucherlySync>.Instance);

    private static string NewId() => "vly_test_" + Guid.NewGuid().ToString("N");

    private static readonly string[] MoneyTaken = ["Paid", "Confirmed", "RefundedPartially", "Refunded", "ImpossibleRefund"];

    /// <summary>A 10.00 order of one line; totals consistent with its transactions unless overridden.</summary>
    private static VoucherlyPayment Order(string id, string status, params VoucherlyTransaction[] transactions)
    {
        var paid = transactions.Where(t => MoneyTaken.Contains(t.Status)).Sum(t => t.Amount ?? 0);
        return new VoucherlyPayment
        {
            Id = id, Tenant = "sand", ReferenceId = "ref-" + id[^6..], Mode = "Payment", CustomerEmail = "test@example.com",
            TotalAmount = 1000, DiscountAmount = 0, FinalAmount = 1000, PaidAmount = paid, PaidVoucherAmount = 0, Amount = Math.Max(0, 1000 - paid),
            Status = status,
            Transactions = [.. transactions],
            Discounts = [],
            Lines = [new() { Quantity = 1, UnitAmount = 1000, FinalAmount = 1000, ProductName = "Box", IsFood = false, IsGift = false }],
        };
    }

    private static VoucherlyTransaction Attempt(string id, string status, long processed = 0, long confirmed = 0, long refunded = 0) => new()
    {
        Id = id, PaymentGatewayId = "pg_card",
        PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
        RequestedAmount = 1000, Amount = processed, ConfirmedAmount = confirmed, RefundedAmount = refunded, Currency = "EUR", Status = status,
        CreditCard = new() { Brand = "visa", Pan = "411111******1111", ExpirationMonth = 12, ExpirationYear = 2030 },
    };

    private async Task<Payment> LoadAsync(string paymentId)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<Payment>().WithAggregateAndHistory().SingleAsync(p => p.Id == paymentId);
    }

    private async Task<VoucherlySyncState> StateAsync(string paymentId)
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<VoucherlySyncState>().SingleAsync(s => s.PaymentId == paymentId);
    }

    private async Task<int> CountAsync<T>() where T : class
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<T>().CountAsync();
    }

    [Fact]
    public async Task Import_SeededConfirmedPayment_EveryFieldLandsOnThePayment()
    {
        var result = await Sync().ImportAsync(VoucherlySandboxSeed.Confirmed, default);

        Assert.Equal(VoucherlySyncOutcome.Created, result.Outcome);
        var p = await LoadAsync(VoucherlySandboxSeed.Confirmed);
        Assert.Equal((PaymentSource.Voucherly, PaymentTenant.Sand, PaymentMode.Payment, "order-1001", "cmp_sandbox"),
            (p.Source, p.Tenant, p.Mode, p.ReferenceId, p.CompanyId));
        Assert.Equal(("cus_1001", "anna.rossi@example.com", "Anna Rossi", "+390212345678"),
            (p.Customer.Id, p.Customer.Email, p.CustomerName, p.Customer.PhoneNumber));
        Assert.Equal(("pg_edenred", "https://checkout.sandbox.invalid/vly_pay_confirmed"), (p.SelectedGatewayId, p.CheckoutUrl));
        var day = new DateTime(2026, 11, 20, 10, 30, 0, DateTimeKind.Utc);
        Assert.Equal((true, day.AddMinutes(4)), (p.CloseCheckout!.Success, p.CloseCheckout.AtUtc));
        Assert.Equal((true, day.AddMinutes(5)), (p.Callback!.Success, p.Callback.AtUtc));
        Assert.Equal(day.AddMinutes(4), p.CreatedAtUtc);
        Assert.Equal(("web", "12"), (p.Metadata["channel"], p.Metadata["table"]));
        Assert.Equal(Currency.EUR, p.Currency);
        Assert.Equal(PaymentStatus.Confirmed, p.Status);

        Assert.Equal(new[] { ("Pizza Margherita", 2, 850L, 1700L, true, false), ("Gift box", 1, 1500L, 1500L, false, true) },
            p.Lines.Select(l => (l.ProductName!, l.Quantity, l.UnitAmount, l.FinalAmount, l.IsFood, l.IsGift)));
        Assert.Equal(("prd_margherita", "large", "SKU-PZ-01", 10m), (p.Lines[0].ProductId, p.Lines[0].ProductVariant, p.Lines[0].ProductExternalId1, p.Lines[0].TaxRate));
        var discount = Assert.Single(p.Discounts);
        Assert.Equal(("Welcome", DiscountType.DollarOff, 200L), (discount.Name, discount.Type, discount.AppliedAmount));

        Assert.Equal(2, p.Transactions.Count);
        var voucher = p.Transactions.Single(t => t.Id == "3fa85f64-5717-4562-b3fc-2c963f660001");
        Assert.Equal(("pg_edenred", "Edenred", 1, CheckoutAction.Otp), (voucher.GatewayId, voucher.GatewayName, voucher.GatewayType!.Value, voucher.GatewayPaymentAction!.Value));
        Assert.Equal(("EDR-778812", 1000L, 2, 1000L, TransactionStatus.Confirmed),
            (voucher.ExternalId1, voucher.VoucherAmount, voucher.NoOfVouchers, voucher.ConfirmedAmount, voucher.Status));
        var card = p.Transactions.Single(t => t.Id == "3fa85f64-5717-4562-b3fc-2c963f660002");
        Assert.Equal(("411111******1111", "1111", "visa", "12/30", "Visa Classic"), (card.Card!.MaskedPan, card.CardLast4, card.Card.Brand, card.Card.Expiration, card.Card.Product));
        Assert.Equal(("Anna Rossi", "anna.rossi@example.com"), (card.HolderName, card.HolderEmail));

        Assert.Equal((3200L, 200L, 3000L, 3000L, 1000L, 0L), (p.TotalAmount, p.DiscountAmount, p.FinalAmount, p.PaidAmount, p.PaidVoucherAmount, p.RemainingAmount));
        Assert.Equal((3200L, 200L, 3000L, 3000L, 1000L, 0L), (p.ReportedTotalAmount!.Value, p.ReportedDiscountAmount!.Value, p.ReportedFinalAmount!.Value,
            p.ReportedPaidAmount!.Value, p.ReportedPaidVoucherAmount!.Value, p.ReportedRemainingAmount!.Value));
        Assert.False(p.TotalsMismatch);
        Assert.All(p.StatusChanges, c => Assert.True(c.Applied));

        var state = await StateAsync(p.Id);
        Assert.Equal((VoucherlySandboxSeed.Confirmed, VoucherlySyncOutcome.Created, null), (state.VoucherlyPaymentId, state.LastOutcome, state.LastError));
    }

    [Fact]
    public async Task Import_SepaPaymentWithFullIbanAtVoucherly_OnlyTheMaskedIbanIsStored()
    {
        Assert.Equal(VoucherlySyncOutcome.Created, (await Sync().ImportAsync(VoucherlySandboxSeed.SepaPaid, default)).Outcome);

        var t = Assert.Single((await LoadAsync(VoucherlySandboxSeed.SepaPaid)).Transactions);
        Assert.Equal(("DE" + new string('*', 16) + "3000", "COBADEFFXXX", "ba_sandbox_0006"), (t.DirectDebit!.MaskedIban, t.DirectDebit.Bic, t.DirectDebit.AccountId));
        Assert.Equal((TransactionStatus.Paid, PaymentStatus.Paid), (t.Status, t.Payment!.Status));
        Assert.DoesNotContain("370400440532013000", DatabaseText());
    }

    [Fact]
    public async Task Import_FullCardNumberAtVoucherly_NeverReachesTheDatabase()
    {
        var id = NewId();
        var attempt = Attempt(Guid.NewGuid().ToString(), "Confirmed", 1000, 1000);
        attempt.CreditCard!.Pan = "4111 1111 1111 1111";
        Sandbox.Put(Order(id, "Confirmed", attempt));

        await Sync().ImportAsync(id, default);

        Assert.Equal("1111", Assert.Single((await LoadAsync(id)).Transactions).CardLast4);
        var text = DatabaseText();
        Assert.DoesNotContain("4111111111111111", text);
        Assert.DoesNotContain("4111 1111 1111 1111", text);
    }

    [Fact]
    public async Task Import_RequestedPaymentWaitingFor3ds_NextActionAndPercentDiscount()
    {
        await Sync().ImportAsync(VoucherlySandboxSeed.Requested, default);

        var p = await LoadAsync(VoucherlySandboxSeed.Requested);
        Assert.Equal((PaymentStatus.Requested, 1200L, 120L, 1080L, 1080L), (p.Status, p.TotalAmount, p.DiscountAmount, p.FinalAmount, p.RemainingAmount));
        var t = Assert.Single(p.Transactions);
        Assert.Equal(TransactionStatus.NextAction, t.Status);
        Assert.Equal((CheckoutAction.Redirect, "ext_3ds_0004", "https://acs.sandbox.invalid/challenge/0004"),
            (t.NextAction!.Action, t.NextAction.ExternalTransactionId, t.NextAction.Url));
        Assert.False(p.TotalsMismatch);
    }

    [Fact]
    public async Task Import_DeclinedAttempt_ErrorCodeAndGatewayMessageKept()
    {
        await Sync().ImportAsync(VoucherlySandboxSeed.Failed, default);

        var p = await LoadAsync(VoucherlySandboxSeed.Failed);
        var t = Assert.Single(p.Transactions);
        Assert.Equal((TransactionStatus.Failed, TransactionErrorCode.Declined, "Insufficient funds", "51"),
            (t.Status, t.Error!.Code, t.Error.ExternalMessage, t.Error.ExternalCode));
        Assert.Equal(PaymentStatus.Requested, p.Status);
    }

    [Fact]
    public async Task Import_TotalsThatDisagreeWithTheLines_FlagsTotalsMismatch()
    {
        await Sync().ImportAsync(VoucherlySandboxSeed.TotalsMismatch, default);

        var p = await LoadAsync(VoucherlySandboxSeed.TotalsMismatch);
        Assert.True(p.TotalsMismatch);
        Assert.Equal((1000L, 1200L), (p.TotalAmount, p.ReportedTotalAmount!.Value));
    }

    [Fact]
    public async Task Import_UnknownAtVoucherly_NothingCreated()
    {
        var result = await Sync().ImportAsync(NewId(), default);

        Assert.Equal((VoucherlySyncOutcome.NotFound, null), (result.Outcome, result.PaymentId));
        Assert.Equal(0, await CountAsync<Payment>());
    }

    [Fact]
    public async Task SyncOpen_PaymentConfirmedThenRefundedAtVoucherly_StatusesAndAmountsFollow()
    {
        var id = NewId();
        var tid = Guid.NewGuid().ToString();
        Sandbox.Put(Order(id, "Requested", Attempt(tid, "Requested")));
        await Sync().ImportAsync(id, default);
        Assert.Equal(PaymentStatus.Requested, (await LoadAsync(id)).Status);

        Sandbox.Put(Order(id, "Confirmed", Attempt(tid, "Confirmed", processed: 1000, confirmed: 1000)));
        var run = await Sync().SyncOpenPaymentsAsync(50, default);

        Assert.Equal((1, 1), (run.Read, run.Updated));
        var confirmed = await LoadAsync(id);
        var t = Assert.Single(confirmed.Transactions);
        Assert.Equal((PaymentStatus.Confirmed, TransactionStatus.Confirmed, 1000L, 1000L, 0L),
            (confirmed.Status, t.Status, t.ConfirmedAmount, confirmed.PaidAmount, confirmed.RemainingAmount));

        // A partial refund made at Voucherly: the payment is Confirmed, so no longer "open"; an import reads it.
        Sandbox.Put(Order(id, "Confirmed", Attempt(tid, "RefundedPartially", processed: 1000, confirmed: 1000, refunded: 400)));
        Assert.Equal(VoucherlySyncOutcome.Updated, (await Sync().ImportAsync(id, default)).Outcome);
        t = Assert.Single((await LoadAsync(id)).Transactions);
        Assert.Equal((TransactionStatus.RefundedPartially, 400L, PaymentStatus.Confirmed), (t.Status, t.RefundedAmount, t.Payment!.Status));

        Sandbox.Put(Order(id, "Refunded", Attempt(tid, "Refunded", processed: 1000, confirmed: 1000, refunded: 1000)));
        await Sync().ImportAsync(id, default);
        var refunded = await LoadAsync(id);
        t = Assert.Single(refunded.Transactions);
        Assert.Equal((PaymentStatus.Refunded, TransactionStatus.Refunded, 1000L), (refunded.Status, t.Status, t.RefundedAmount));
        Assert.All(refunded.StatusChanges, c => Assert.True(c.Applied));
    }

    [Fact]
    public async Task SyncOpen_IllegalBackwardsMoveReported_RefusedRecordedNotApplied()
    {
        var id = NewId();
        var tid = Guid.NewGuid().ToString();
        Sandbox.Put(Order(id, "Paid", Attempt(tid, "Paid", processed: 1000)));
        await Sync().ImportAsync(id, default);

        Sandbox.Put(Order(id, "Requested", Attempt(tid, "Requested", processed: 0)));
        var run = await Sync().SyncOpenPaymentsAsync(50, default);

        Assert.Equal((1, 2), (run.Updated, run.RefusedReports));
        var p = await LoadAsync(id);
        var t = Assert.Single(p.Transactions);
        Assert.Equal((PaymentStatus.Paid, TransactionStatus.Paid, 1000L, 1000L), (p.Status, t.Status, t.ProcessedAmount, p.PaidAmount));
        var refused = p.StatusChanges.Where(c => !c.Applied).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, c => c.TransactionId == tid && c.FromStatus == "Paid" && c.ToStatus == "Requested" && c.Source == VoucherlySync.SyncSource);
        Assert.Contains(refused, c => c.TransactionId == null && c.FromStatus == "Paid" && c.ToStatus == "Requested");

        // Read again: the same contradiction is not recorded a second time.
        var again = await Sync().SyncOpenPaymentsAsync(50, default);
        Assert.Equal((0, 1, 2), (again.Updated, again.Unchanged, again.RefusedReports));
        Assert.Equal(2, (await LoadAsync(id)).StatusChanges.Count(c => !c.Applied));
    }

    [Fact]
    public async Task SyncOpen_ReportedTotalsDisagree_TotalsMismatchSet()
    {
        var id = NewId();
        var order = Order(id, "Requested", Attempt(Guid.NewGuid().ToString(), "Requested"));
        Sandbox.Put(order);
        await Sync().ImportAsync(id, default);
        Assert.False((await LoadAsync(id)).TotalsMismatch);

        order.TotalAmount = 1100;
        order.FinalAmount = 1100;
        Sandbox.Put(order);
        await Sync().SyncOpenPaymentsAsync(50, default);

        var p = await LoadAsync(id);
        Assert.True(p.TotalsMismatch);
        Assert.Equal((1000L, 1100L, 1100L), (p.TotalAmount, p.ReportedTotalAmount!.Value, p.ReportedFinalAmount!.Value));
    }

    [Fact]
    public async Task SyncOpen_NotFoundOrNoAnswer_PaymentUnchangedOutcomeRecorded()
    {
        var missing = await SeedVoucherlyPaymentAsync(NewId());
        var serverError = await SeedVoucherlyPaymentAsync(VoucherlySandboxSeed.ServerError);
        var malformed = await SeedVoucherlyPaymentAsync(VoucherlySandboxSeed.MalformedJson);

        var run = await Sync().SyncOpenPaymentsAsync(50, default);

        Assert.Equal((3, 1, 2), (run.Read, run.NotFound, run.Unanswered));
        foreach (var (id, version) in new[] { missing, serverError, malformed })
        {
            var p = await LoadAsync(id);
            Assert.Equal((PaymentStatus.Requested, version), (p.Status, p.Version));
        }
        Assert.Equal(VoucherlySyncOutcome.NotFound, (await StateAsync(missing.Id)).LastOutcome);
        var unanswered = await StateAsync(serverError.Id);
        Assert.Equal((VoucherlySyncOutcome.Unanswered, 1), (unanswered.LastOutcome, unanswered.ConsecutiveFailures));
        Assert.Contains("HTTP 500", unanswered.LastError);
    }

    [Fact]
    public async Task Sync_Twice_NoDuplicateTransactionsNoChange()
    {
        var id = NewId();
        Sandbox.Put(Order(id, "Requested", Attempt(Guid.NewGuid().ToString(), "Failed"), Attempt(Guid.NewGuid().ToString(), "NextAction")));
        await Sync().ImportAsync(id, default);
        var before = await LoadAsync(id);

        var first = await Sync().SyncOpenPaymentsAsync(50, default);
        var second = await Sync().ImportAsync(id, default);

        Assert.Equal((1, VoucherlySyncOutcome.Unchanged), (first.Unchanged, second.Outcome));
        var after = await LoadAsync(id);
        Assert.Equal(2, after.Transactions.Count);
        Assert.Equal(2, await CountAsync<PaymentTransaction>());
        Assert.Equal((before.Version, before.StatusChanges.Count), (after.Version, after.StatusChanges.Count));
    }

    [Fact]
    public async Task SyncOpen_NewAttemptReported_AddedAndPaymentFollows()
    {
        var id = NewId();
        var failed = Attempt(Guid.NewGuid().ToString(), "Failed");
        Sandbox.Put(Order(id, "Requested", failed));
        await Sync().ImportAsync(id, default);

        var retry = Attempt(Guid.NewGuid().ToString(), "Confirmed", processed: 1000, confirmed: 1000);
        Sandbox.Put(Order(id, "Confirmed", failed, retry));
        var run = await Sync().SyncOpenPaymentsAsync(50, default);

        Assert.Equal(1, run.Updated);
        var p = await LoadAsync(id);
        Assert.Equal(new[] { TransactionStatus.Failed, TransactionStatus.Confirmed }, p.Transactions.OrderBy(t => t.Id == retry.Id).Select(t => t.Status));
        Assert.Equal((PaymentStatus.Confirmed, 1000L, false), (p.Status, p.PaidAmount, p.TotalsMismatch));
    }

    [Fact]
    public async Task SyncOpen_UnknownValueFromVoucherly_RecordedOnTheSyncStateRunGoesOn()
    {
        var bad = NewId();
        var good = NewId();
        Sandbox.Put(Order(bad, "Requested", Attempt(Guid.NewGuid().ToString(), "Requested")));
        Sandbox.Put(Order(good, "Requested", Attempt(Guid.NewGuid().ToString(), "Requested")));
        await Sync().ImportAsync(bad, default);
        await Sync().ImportAsync(good, default);
        var version = (await LoadAsync(bad)).Version;

        Sandbox.Put(Order(bad, "Settled", Attempt(Guid.NewGuid().ToString(), "Requested")));
        Sandbox.Put(Order(good, "Cancelled", Attempt(Guid.NewGuid().ToString(), "Cancelled")));
        var run = await Sync().SyncOpenPaymentsAsync(50, default);

        Assert.Equal((2, 1, 1), (run.Read, run.Failed, run.Updated));
        var state = await StateAsync(bad);
        Assert.Equal(VoucherlySyncOutcome.Failed, state.LastOutcome);
        Assert.Contains("Unknown status 'Settled'", state.LastError);
        Assert.Equal((PaymentStatus.Requested, version), ((await LoadAsync(bad)).Status, (await LoadAsync(bad)).Version));
        Assert.Equal(PaymentStatus.Cancelled, (await LoadAsync(good)).Status);
    }

    [Fact]
    public async Task Import_VoucherlyIdTheModelRejects_FreshIdLinkedBySyncState()
    {
        var id = "vly_" + new string('x', 70);
        Sandbox.Put(Order(id, "Requested", Attempt(Guid.NewGuid().ToString(), "Requested")));

        var created = await Sync().ImportAsync(id, default);
        var again = await Sync().ImportAsync(id, default);

        Assert.StartsWith("pay_", created.PaymentId);
        Assert.Equal((VoucherlySyncOutcome.Unchanged, created.PaymentId), (again.Outcome, again.PaymentId));
        Assert.Equal(id, (await StateAsync(created.PaymentId!)).VoucherlyPaymentId);
        Assert.Equal(1, await CountAsync<Payment>());
    }

    [Fact]
    public async Task SyncOpen_SmallBatches_LeastRecentlySyncedFirst()
    {
        var a = NewId();
        var b = NewId();
        var settled = NewId();
        foreach (var id in new[] { a, b })
        {
            Sandbox.Put(Order(id, "Requested", Attempt(Guid.NewGuid().ToString(), "Requested")));
            await Sync().ImportAsync(id, default);
        }
        Sandbox.Put(Order(settled, "Confirmed", Attempt(Guid.NewGuid().ToString(), "Confirmed", 1000, 1000)));
        await Sync().ImportAsync(settled, default);
        var imported = (await StateAsync(a)).LastSyncedAtUtc;
        var settledAt = (await StateAsync(settled)).LastSyncedAtUtc;

        var first = await Sync().SyncOpenPaymentsAsync(1, default);
        var second = await Sync().SyncOpenPaymentsAsync(1, default);

        Assert.Equal((1, 1), (first.Read, second.Read));
        Assert.True((await StateAsync(a)).LastSyncedAtUtc > imported);
        Assert.True((await StateAsync(b)).LastSyncedAtUtc > imported);
        Assert.Equal(settledAt, (await StateAsync(settled)).LastSyncedAtUtc);
    }

    [Fact]
    public async Task SyncOpen_PaymentChangedInThePortalMeanwhile_ConflictLeftForTheNextRun()
    {
        var id = NewId();
        var tid = Guid.NewGuid().ToString();
        Sandbox.Put(Order(id, "Requested", Attempt(tid, "Requested")));
        await Sync().ImportAsync(id, default);
        Sandbox.Put(Order(id, "Confirmed", Attempt(tid, "Confirmed", 1000, 1000)));

        var racing = new RacingDatabase(_db.File, id);
        var run = await Sync(racing).SyncOpenPaymentsAsync(50, default);

        Assert.Equal((1, 1), (run.Conflicts, racing.Races));
        Assert.Equal(PaymentStatus.Requested, (await LoadAsync(id)).Status);
        Assert.Equal(VoucherlySyncOutcome.Conflict, (await StateAsync(id)).LastOutcome);

        var next = await Sync().SyncOpenPaymentsAsync(50, default);
        Assert.Equal(1, next.Updated);
        Assert.Equal(PaymentStatus.Confirmed, (await LoadAsync(id)).Status);
    }

    [Fact]
    public void Job_Registered_RunsEveryMinuteByDefault()
    {
        var job = fixture.Server.LiveServices.GetServices<JobDefinition>().Single(j => j.Name == VoucherlySyncJob.Name);

        Assert.Equal(("Voucherly sync", "0 * * * * *", typeof(VoucherlySyncJob)), (job.Title, job.DefaultCron, job.JobType));
    }

    [Fact]
    public async Task Job_Run_SyncsTheOpenPaymentsOfTheAppsDatabase()
    {
        var services = fixture.Server.LiveServices;
        var id = NewId();
        var tid = Guid.NewGuid().ToString();
        Sandbox.Put(Order(id, "Requested", Attempt(tid, "Requested")));
        await services.GetRequiredService<VoucherlySync>().ImportAsync(id, default);
        Sandbox.Put(Order(id, "Confirmed", Attempt(tid, "Confirmed", 1000, 1000)));

        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<VoucherlySyncJob>().RunAsync(default);

        Assert.Contains("updated", result.Message);
        await using var db = services.GetRequiredService<IDbContextFactory<DbContext>>().CreateDbContext();
        Assert.Equal(PaymentStatus.Confirmed, await db.Set<Payment>().Where(p => p.Id == id).Select(p => p.Status).SingleAsync());
    }

    [Fact]
    public void JobMessage_NamesOnlyTheOutcomesThatHappened()
    {
        Assert.Equal("Nothing to read: no open Voucherly payment and no settled one due for a re-read.",
            VoucherlySyncJob.Describe(new VoucherlySyncBatchResult(0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal("12 read (1 settled re-read): 2 updated, 9 unchanged, 1 not found at Voucherly",
            VoucherlySyncJob.Describe(new VoucherlySyncBatchResult(12, 0, 2, 9, 1, 0, 0, 0, 0, Rechecked: 1)));
        Assert.Equal("3 read: 1 created, 1 unanswered, 1 failed, 2 reported move(s) refused",
            VoucherlySyncJob.Describe(new VoucherlySyncBatchResult(3, 1, 0, 0, 0, 1, 0, 1, 2)));
    }

    /// <summary>A Voucherly payment the portal holds without a sync state (as if created before the sync existed).</summary>
    private async Task<(string Id, long Version)> SeedVoucherlyPaymentAsync(string id)
    {
        var payment = Payment.Create(new NewPayment { Id = id, Currency = Currency.EUR, Source = PaymentSource.Voucherly, CreatedAtUtc = DateTime.UtcNow.AddMinutes(-1) });
        payment.AddLine(new NewPaymentLine { UnitAmount = 1000 });
        await using var db = _db.CreateDbContext();
        db.Add(payment);
        await db.SaveChangesAsync();
        return (id, payment.Version);
    }

    /// <summary>Everything in the SQLite file and its write-ahead log, as text, for "never stored" checks.</summary>
    private string DatabaseText()
    {
        var text = new StringBuilder();
        foreach (var file in new[] { _db.File, _db.File + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }
        return text.ToString();
    }

    public void Dispose() => _db.Dispose();

    /// <summary>
    /// Contexts on the test database that, just before the sync saves its change to one payment,
    /// let "someone else" change that payment first (bumping its version), as a webhook would.
    /// </summary>
    private sealed class RacingDatabase(string file, string paymentId) : SaveChangesInterceptor, IDbContextFactory<DbContext>
    {
        public int Races { get; private set; }

        public DbContext CreateDbContext() =>
            new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>(TestDatabase.Options(file)).AddInterceptors(this).Options);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            var payment = eventData.Context!.ChangeTracker.Entries<Payment>().FirstOrDefault(e => e.Entity.Id == paymentId && e.State == EntityState.Modified);
            if (payment is not null && Races == 0)
            {
                Races++;
                await using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30");
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE Payments SET Version = Version + 1 WHERE Id = $id";
                command.Parameters.AddWithValue("$id", paymentId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return await base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
