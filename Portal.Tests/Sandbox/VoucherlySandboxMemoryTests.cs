using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.DemoData;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Refunds;
using Portal.Gateways.Voucherly;
using Portal.Persistence;
using Portal.Sandbox.Voucherly;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Sandbox;

/// <summary>
/// A portal on a loopback port with the sandbox on, its database filled by the demo data
/// generator (fixed seed and end), as the demo runs: the Voucherly sandbox must know the
/// Voucherly payments the portal has. Scheduled jobs are off so only the tests read.
/// </summary>
public sealed class VoucherlyDemoSandboxFixture : IDisposable
{
    /// <summary>About 340 Voucherly payments, with every status the mapping must carry (open ones, refunds, a totals mismatch).</summary>
    public static readonly DemoDataSpec Spec = new(900, DemoDataSpec.DefaultSeed, new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc), Days: 15);

    public VoucherlyDemoSandboxFixture()
    {
        Server = NewServer(TestPaths.NewDataDirectory("voucherly-memory"));
        Server.EnsureStarted();
        Loaded = DemoDataEfLoader.LoadIfEmptyAsync(Db, new DemoDataGenerator(Spec)).GetAwaiter().GetResult();
    }

    public PortalServer Server { get; }

    public int Loaded { get; }

    public IDbContextFactory<PortalDbContext> Db => Service<IDbContextFactory<PortalDbContext>>();

    public T Service<T>() where T : notnull => Server.LiveServices.GetRequiredService<T>();

    /// <summary>
    /// The sandbox on a real port, no scheduled jobs, on <paramref name="dataDirectory"/>. No test
    /// here is about a timeout, so the adapters wait long enough for a busy CI machine (a 2-second
    /// timeout turned a slow answer into Unanswered while the whole suite ran on 2 cores).
    /// </summary>
    public static PortalServer NewServer(string dataDirectory)
    {
        var server = new PortalServer();
        server.Settings["Portal:DataDirectory"] = dataDirectory;
        foreach (var gateway in new[] { "EComCharge", "Voucherly", "Vcc" })
        {
            server.Settings[$"Gateways:{gateway}:TimeoutSeconds"] = "20";
            server.Settings[$"Gateways:{gateway}:RetryDelayMilliseconds"] = "10";
        }
        server.Settings["Sandbox:Enabled"] = "true";
        server.Settings["Sandbox:PendingSeconds"] = "0.5";
        server.Settings["Jobs:Enabled"] = "false";
        return server;
    }

    public void Dispose() => Server.Dispose();
}

/// <summary>The Voucherly sandbox's memory (<see cref="VoucherlySandboxMemory"/>) through the real adapter, sync and refund API.</summary>
public sealed class VoucherlySandboxMemoryTests(VoucherlyDemoSandboxFixture fixture) : IClassFixture<VoucherlyDemoSandboxFixture>
{
    private VoucherlySandboxStore Store => fixture.Service<VoucherlySandboxStore>();

    private VoucherlySync Sync => fixture.Service<VoucherlySync>();

    private VoucherlyClient Client => fixture.Service<VoucherlyClient>();

    private sealed record Snapshot(string Id, long Version, PaymentStatus Status, bool TotalsMismatch, int History);

    private async Task<Snapshot> SnapshotAsync(string id)
    {
        await using var db = await fixture.Db.CreateDbContextAsync();
        var p = await db.Set<Payment>().AsNoTracking().SingleAsync(p => p.Id == id);
        var history = await db.Set<PaymentStatusChange>().CountAsync(c => c.PaymentId == id);
        return new Snapshot(p.Id, p.Version, p.Status, p.TotalsMismatch, history);
    }

    private async Task<List<Payment>> VoucherlyDemoPaymentsAsync()
    {
        await using var db = await fixture.Db.CreateDbContextAsync();
        return await db.Set<Payment>().AsNoTracking().WithAggregate().Where(p => p.Source == PaymentSource.Voucherly && p.Id.StartsWith(Ids.PaymentPrefix + "_")).OrderBy(p => p.Id).ToListAsync();
    }

    [Fact]
    public async Task SyncRead_EveryVoucherlyDemoPayment_RecalledAndUnchanged()
    {
        var payments = await VoucherlyDemoPaymentsAsync();
        var before = new Dictionary<string, Snapshot>();
        foreach (var p in payments) before[p.Id] = await SnapshotAsync(p.Id);

        var failures = new List<string>();
        foreach (var p in payments)
        {
            var result = await Sync.ImportAsync(p.Id, default);
            if (result.Outcome != VoucherlySyncOutcome.Unchanged || result.RefusedReports != 0)
                failures.Add($"{p.Id} ({p.Status}): {result.Outcome}, {result.RefusedReports} refused. {result.Detail}");
            else if (await SnapshotAsync(p.Id) is var after && after != before[p.Id])
                failures.Add($"{p.Id}: {before[p.Id]} became {after}");
        }

        Assert.Equal(VoucherlyDemoSandboxFixture.Spec.Payments, fixture.Loaded);
        Assert.True(payments.Count >= 300, $"only {payments.Count} Voucherly demo payments");
        Assert.Empty(failures);
        Assert.All(payments, p => Assert.NotNull(Store.Json(p.Id)));
        // The set covers what the reverse mapping has to carry.
        var transactions = payments.SelectMany(p => p.Transactions).ToList();
        Assert.Superset(new HashSet<PaymentStatus> { PaymentStatus.Requested, PaymentStatus.Paid, PaymentStatus.Confirmed, PaymentStatus.Refunded,
            PaymentStatus.Cancelled, PaymentStatus.Expired }, payments.Select(p => p.Status).ToHashSet());
        Assert.Superset(new HashSet<TransactionStatus> { TransactionStatus.Confirmed, TransactionStatus.RefundedPartially, TransactionStatus.Refunded,
            TransactionStatus.Failed, TransactionStatus.NextAction, TransactionStatus.Paid, TransactionStatus.Requested, TransactionStatus.Cancelled,
            TransactionStatus.Expired, TransactionStatus.Voided }, transactions.Select(t => t.Status).ToHashSet());
        Assert.Contains(transactions, t => t.VoucherAmount > 0 && t.NoOfVouchers > 0);
        Assert.Contains(transactions, t => t.DirectDebit is not null);
        Assert.Contains(transactions, t => t.Card?.MaskedPan is not null);
        Assert.Contains(transactions, t => t.Error is not null);
        Assert.Contains(payments, p => p.Discounts.Count > 0);
        Assert.Contains(payments, p => p.TotalsMismatch);
        Assert.Contains(payments, p => p.Mode == PaymentMode.Wallet);
        Assert.Contains(payments, p => p.CloseCheckout is not null && p.Callback is not null);
        Assert.Contains(payments, p => p.Currency.Code != "EUR");
    }

    [Fact]
    public async Task SyncRun_OpenVoucherlyDemoPayments_NoneNotFoundNothingChanged()
    {
        var run = await Sync.SyncOpenPaymentsAsync(VoucherlySync.MaxBatchSize, default);

        Assert.True(run.Read >= 5, $"only {run.Read} open Voucherly demo payments read");
        Assert.Equal((run.Read, 0, 0, 0, 0, 0), (run.Unchanged, run.NotFound, run.Updated, run.Unanswered, run.Failed, run.RefusedReports));
    }

    [Fact]
    public async Task RefundOverHttp_DemoVoucherTransaction_SucceedsAndTheNextSyncReadIsUnchanged()
    {
        var (payment, transaction) = await RefundableVoucherlyTransactionAsync(skip: 0);
        var amount = Math.Max(1, transaction.RefundableAmount / 2);
        using var admin = await TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);

        var response = await admin.PostAsJsonAsync("/api/refunds", new
        {
            paymentId = payment.Id, transactionId = transaction.Id, amount, currency = transaction.Currency.Code, reason = "duplicate",
            note = (string?)null, idempotencyKey = NewKey(),
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("succeeded", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        var t = await TransactionAsync(fixture.Db, payment.Id, transaction.Id);
        Assert.Equal((TransactionStatus.RefundedPartially, transaction.RefundedAmount + amount), (t.Status, t.RefundedAmount));
        var remote = Assert.IsType<VoucherlyResult.Ok>(await Client.GetPaymentAsync(payment.Id));
        var remoteTransaction = remote.Payment.Transactions!.Single(x => x.Id == transaction.Id);
        Assert.Equal(("RefundedPartially", transaction.RefundedAmount + amount), (remoteTransaction.Status, remoteTransaction.RefundedAmount!.Value));
        var before = await SnapshotAsync(payment.Id);
        var read = await Sync.ImportAsync(payment.Id, default);
        Assert.Equal((VoucherlySyncOutcome.Unchanged, 0), (read.Outcome, read.RefusedReports));
        Assert.Equal(before, await SnapshotAsync(payment.Id));
    }

    [Fact]
    public async Task RefundService_DemoVoucherTransactionPartlyThenTheRest_BothSucceedSyncUnchanged()
    {
        var (payment, transaction) = await RefundableVoucherlyTransactionAsync(skip: 1);
        var refunds = Service(fixture.Service<IDbContextFactory<DbContext>>(), fixture.Service<IRefundGateways>(), TimeProvider.System);
        var first = Math.Max(1, transaction.RefundableAmount / 3);

        var partial = await refunds.RequestAsync(Request(payment.Id, transaction.Id, first, currency: transaction.Currency.Code), Admin);
        var rest = await refunds.RequestAsync(Request(payment.Id, transaction.Id, transaction.RefundableAmount - first, currency: transaction.Currency.Code), Admin);

        Assert.Equal((RefundStatus.Succeeded, RefundStatus.Succeeded), (partial.Refund.Status, rest.Refund.Status));
        var t = await TransactionAsync(fixture.Db, payment.Id, transaction.Id);
        Assert.Equal((TransactionStatus.Refunded, t.ConfirmedAmount), (t.Status, t.RefundedAmount));
        var read = await Sync.ImportAsync(payment.Id, default);
        Assert.Equal((VoucherlySyncOutcome.Unchanged, 0), (read.Outcome, read.RefusedReports));
    }

    [Fact]
    public async Task UnknownIds_Stay404AndNothingIsAdded()
    {
        var never = "vly_never_" + Guid.NewGuid().ToString("N");
        string otherSource;
        await using (var db = await fixture.Db.CreateDbContextAsync())
            otherSource = await db.Set<Payment>().Where(p => p.Source == PaymentSource.EComCharge).Select(p => p.Id).FirstAsync();
        var otherBefore = await SnapshotAsync(otherSource);

        foreach (var id in new[] { never, otherSource })
        {
            Assert.IsType<VoucherlyResult.NotFound>(await Client.GetPaymentAsync(id));
            Assert.IsType<VoucherlyResult.NotFound>(await Client.RefundAsync(id, "txn_whatever", 100));
            Assert.Null(Store.Json(id));
        }
        Assert.Equal(VoucherlySyncOutcome.NotFound, (await Sync.ImportAsync(never, default)).Outcome);
        Assert.Equal(otherBefore, await SnapshotAsync(otherSource));
        await using var check = await fixture.Db.CreateDbContextAsync();
        Assert.False(await check.Set<Payment>().AnyAsync(p => p.Id == never));
    }

    [Fact]
    public async Task TestIds_PortalHasThem_StillAnswerAsTestIds()
    {
        await using (var db = await fixture.Db.CreateDbContextAsync())
        {
            foreach (var id in new[] { VoucherlySandboxSeed.ServerError, VoucherlySandboxSeed.MalformedJson })
            {
                // Settled, so the sync run of the other tests does not read them.
                var payment = Payment.Create(new NewPayment { Id = id, Currency = Currency.EUR, Source = PaymentSource.Voucherly, CreatedAtUtc = DateTime.UtcNow });
                payment.ChangeStatus(PaymentStatus.Cancelled, "test", DateTime.UtcNow);
                db.Add(payment);
            }
            await db.SaveChangesAsync();
        }

        var serverError = Assert.IsType<VoucherlyResult.Unknown>(await Client.GetPaymentAsync(VoucherlySandboxSeed.ServerError));
        var malformed = Assert.IsType<VoucherlyResult.Unknown>(await Client.GetPaymentAsync(VoucherlySandboxSeed.MalformedJson));

        Assert.Contains("HTTP 500", serverError.Reason);
        Assert.Contains("malformed JSON", malformed.Reason);
        Assert.Null(Store.Json(VoucherlySandboxSeed.ServerError));
        Assert.Null(Store.Json(VoucherlySandboxSeed.MalformedJson));
    }

    [Fact]
    public async Task Restart_ImportedAndRefundedPayment_RecalledAfterTheRestartSyncUnchangedRefundAgain()
    {
        // Voucherly's id is too long for the model: the portal payment gets a pay_ id, linked by the sync state.
        var voucherlyId = "vly_" + Guid.NewGuid().ToString("N") + new string('r', 40);
        var card = Guid.NewGuid().ToString();
        var voucher = Guid.NewGuid().ToString();
        var sepa = Guid.NewGuid().ToString();
        var dataDirectory = TestPaths.NewDataDirectory("voucherly-restart");
        string paymentId;
        using (var before = VoucherlyDemoSandboxFixture.NewServer(dataDirectory))
        {
            before.EnsureStarted();
            before.LiveServices.GetRequiredService<VoucherlySandboxStore>().Put(Order(voucherlyId, card, voucher, sepa));
            var imported = await before.LiveServices.GetRequiredService<VoucherlySync>().ImportAsync(voucherlyId, default);
            Assert.Equal(VoucherlySyncOutcome.Created, imported.Outcome);
            paymentId = imported.PaymentId!;
            Assert.StartsWith("pay_", paymentId);
            var refund = await RefundsOf(before).RequestAsync(Request(paymentId, card, 700), Admin);
            Assert.Equal(RefundStatus.Succeeded, refund.Refund.Status);
        }

        using var after = VoucherlyDemoSandboxFixture.NewServer(dataDirectory);
        after.EnsureStarted();
        var store = after.LiveServices.GetRequiredService<VoucherlySandboxStore>();
        var sync = after.LiveServices.GetRequiredService<VoucherlySync>();
        Assert.Null(store.Json(voucherlyId));

        var read = await sync.ImportAsync(voucherlyId, default);
        var again = await RefundsOf(after).RequestAsync(Request(paymentId, voucher, 800), Admin);
        var readAgain = await sync.ImportAsync(voucherlyId, default);

        Assert.Equal((VoucherlySyncOutcome.Unchanged, 0), (read.Outcome, read.RefusedReports));
        Assert.Equal(RefundStatus.Succeeded, again.Refund.Status);
        Assert.Equal((VoucherlySyncOutcome.Unchanged, 0), (readAgain.Outcome, readAgain.RefusedReports));
        var remote = Assert.IsType<VoucherlyResult.Ok>(await after.LiveServices.GetRequiredService<VoucherlyClient>().GetPaymentAsync(voucherlyId));
        Assert.Equal(voucherlyId, remote.Payment.Id);
        Assert.Equal(new long?[] { 700, 800, 0 }, new[] { card, voucher, sepa }.Select(id => remote.Payment.Transactions!.Single(t => t.Id == id).RefundedAmount));
        var db = after.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var payment = await PaymentAsync(db, paymentId);
        Assert.Equal((PaymentStatus.Confirmed, false), (payment.Status, payment.TotalsMismatch));
        // The IBAN is not served back (the portal has only a masked one): the portal keeps its own.
        Assert.Equal("DE" + new string('*', 16) + "3000", payment.Transactions.Single(t => t.Id == sepa).DirectDebit!.MaskedIban);
        Assert.Null(remote.Payment.Transactions!.Single(t => t.Id == sepa).DirectDebit!.AccountIban);
    }

    private static RefundService RefundsOf(PortalServer server) =>
        Service(server.LiveServices.GetRequiredService<IDbContextFactory<DbContext>>(), server.LiveServices.GetRequiredService<IRefundGateways>(), TimeProvider.System);

    /// <summary>A Voucherly-gateway transaction of a demo Voucherly payment that can be refunded (the <paramref name="skip"/>-th one).</summary>
    private async Task<(Payment Payment, PaymentTransaction Transaction)> RefundableVoucherlyTransactionAsync(int skip)
    {
        var candidates = (await VoucherlyDemoPaymentsAsync())
            .SelectMany(p => p.Transactions.Select(t => (Payment: p, Transaction: t)))
            .Where(x => x.Transaction.GatewayId?.StartsWith("voucherly", StringComparison.Ordinal) == true
                        && x.Transaction.Status == TransactionStatus.Confirmed && x.Transaction.RefundableAmount >= 3)
            .ToList();
        Assert.True(candidates.Count > skip, $"only {candidates.Count} refundable Voucherly transactions in the demo data");
        return candidates[skip];
    }

    /// <summary>40.00 paid with 15.00 by card, 10.00 by meal vouchers and 15.00 by SEPA (Voucherly serves the full IBAN), a 5.00 discount.</summary>
    private static VoucherlyPayment Order(string id, string card, string voucher, string sepa) => new()
    {
        Id = id, Tenant = "sand", ReferenceId = "order-restart", Mode = "Payment", CompanyId = "cmp_sandbox",
        CustomerId = "cus_restart", CustomerEmail = "restart@example.com", CustomerFirstName = "Rita", CustomerLastName = "Start",
        SelectedPaymentGatewayId = "pg_card", CheckoutUrl = "https://checkout.sandbox.invalid/restart",
        CloseCheckout = new() { Success = true, Date = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero) },
        Callback = new() { Success = true, Date = new DateTimeOffset(2026, 11, 20, 10, 1, 0, TimeSpan.Zero) },
        TotalAmount = 4500, DiscountAmount = 500, FinalAmount = 4000, PaidAmount = 4000, PaidVoucherAmount = 1000, Amount = 0,
        Status = "Confirmed",
        Metadata = new() { ["channel"] = "web", ["note"] = "" },
        Transactions =
        [
            new()
            {
                Id = card, PaymentGatewayId = "pg_card", PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
                ExternalId1 = "ch_restart", RequestedAmount = 1500, Amount = 1500, ConfirmedAmount = 1500, RefundedAmount = 0, Currency = "EUR",
                CreditCard = new() { Brand = "visa", Pan = "411111******1111", Expiration = "12/30", Product = "Visa Classic" },
                HolderName = "Rita Start", HolderEmail = "restart@example.com", Status = "Confirmed",
            },
            new()
            {
                Id = voucher, PaymentGatewayId = "pg_edenred", PaymentGateway = new() { Id = "pg_edenred", Name = "Edenred", Type = 1, PaymentAction = "OTP" },
                ExternalId1 = "EDR-restart", RequestedAmount = 1000, Amount = 1000, VoucherAmount = 1000, NoOfVouchers = 2, ConfirmedAmount = 1000,
                RefundedAmount = 0, Currency = "EUR", Status = "Confirmed",
            },
            new()
            {
                Id = sepa, PaymentGatewayId = "pg_sepa", PaymentGateway = new() { Id = "pg_sepa", Name = "SEPA Direct Debit", Type = 2, PaymentAction = "DROPIN" },
                RequestedAmount = 1500, Amount = 1500, ConfirmedAmount = 1500, RefundedAmount = 0, Currency = "EUR", Status = "Confirmed",
                DirectDebit = new() { AccountId = "ba_restart", AccountBic = "COBADEFFXXX", AccountIban = "DE89370400440532013000" },
                HolderName = "Rita Start",
            },
        ],
        Discounts = [new() { DiscountName = "Autumn", DiscountDescription = "5.00 off", Type = "DOLLAROFF", Value = 500, Index = 0 }],
        Lines =
        [
            new() { Quantity = 3, UnitAmount = 1000, FinalAmount = 3000, ProductName = "Pizza", TaxRate = 10, IsFood = true, IsGift = false },
            new() { Quantity = 1, UnitAmount = 1500, FinalAmount = 1500, ProductName = "Gift box", TaxRate = 22, IsFood = false, IsGift = true },
        ],
    };
}
