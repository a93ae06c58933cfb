using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Security;
using Portal.Gateways;
using Portal.Gateways.Voucherly;
using Portal.Jobs;
using Portal.Payments;
using Portal.Sandbox.Voucherly;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

/// <summary>
/// The "Import from Voucherly" command against the Voucherly sandbox over real loopback HTTP,
/// each test on its own SQLite file. Payments are put into the sandbox with
/// <see cref="VoucherlySandboxStore.Put"/>; its read counter proves when Voucherly was (not) asked.
/// </summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class VoucherlyImportCommandsTests(GatewaySandboxFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Now);

    private VoucherlySandboxStore Sandbox => fixture.Service<VoucherlySandboxStore>();

    private VoucherlyImportCommands Commands(IVoucherlyPayments? voucherly = null) =>
        new(new VoucherlySync(_db, voucherly ?? fixture.Service<IVoucherlyPayments>(), _clock, NullLogger<VoucherlySync>.Instance),
            _db, new AuditTrail(_clock), NullLogger<VoucherlyImportCommands>.Instance);

    private static ClaimsPrincipal User(params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, "user-1"), new Claim(ClaimTypes.Name, "staff@shop.test"), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
        "test"));

    private static ClaimsPrincipal Staff => User(Roles.Staff);

    private static string NewId() => "vly_imp_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A 25.00 order of two lines, paid by card, as Voucherly would serve it.</summary>
    internal static VoucherlyPayment Order(string id, string status = "Paid", string transactionStatus = "Paid") => new()
    {
        Id = id, Tenant = "sand", ReferenceId = "order-" + id[^6..], Mode = "Payment",
        CustomerEmail = "giulia.verdi@example.com", CustomerFirstName = "Giulia", CustomerLastName = "Verdi",
        TotalAmount = 2500, DiscountAmount = 0, FinalAmount = 2500, PaidAmount = 2500, PaidVoucherAmount = 0, Amount = 0,
        Status = status,
        Transactions =
        [
            new()
            {
                Id = id + "-t1", PaymentGatewayId = "pg_card",
                PaymentGateway = new() { Id = "pg_card", Name = "Visa", Type = 0, PaymentAction = "DROPIN" },
                RequestedAmount = 2500, Amount = 2500, ConfirmedAmount = transactionStatus == "Confirmed" ? 2500 : 0, RefundedAmount = 0,
                Currency = "EUR", Status = transactionStatus,
                CreditCard = new() { Brand = "visa", Pan = "411111******1111", ExpirationMonth = 12, ExpirationYear = 2030 },
            },
        ],
        Discounts = [],
        Lines =
        [
            new() { Quantity = 2, UnitAmount = 750, FinalAmount = 1500, ProductName = "Lasagne", IsFood = true, IsGift = false },
            new() { Quantity = 1, UnitAmount = 1000, FinalAmount = 1000, ProductName = "Wine", IsFood = false, IsGift = false },
        ],
    };

    private async Task<(int Payments, int Transactions, int Audits, int SyncStates)> CountsAsync()
    {
        await using var db = _db.CreateDbContext();
        return (await db.Set<Payment>().CountAsync(), await db.Set<PaymentTransaction>().CountAsync(),
            await db.Set<AuditEntry>().CountAsync(), await db.Set<VoucherlySyncState>().CountAsync());
    }

    private async Task<List<AuditEntry>> AuditsAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<AuditEntry>().OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Import_PaymentInTheSandbox_CreatesItWithLinesTransactionsAndAnAuditEntry()
    {
        var id = NewId();
        Sandbox.Put(Order(id));

        var result = await Commands().ImportAsync(Staff, id, default);

        Assert.Equal(VoucherlyImportOutcome.Created, result.Outcome);
        Assert.Equal(id, result.PaymentId);
        Assert.True(result.HasPayment);
        Assert.Contains($"Voucherly payment {id} is now in the portal.", result.Message);
        await using (var db = _db.CreateDbContext())
        {
            var payment = await db.Set<Payment>().WithAggregate().SingleAsync(p => p.Id == id);
            Assert.Equal((PaymentSource.Voucherly, PaymentStatus.Paid, 2500L, "giulia.verdi@example.com"),
                (payment.Source, payment.Status, payment.FinalAmount, payment.Customer.Email));
            Assert.Equal(["Lasagne", "Wine"], payment.Lines.Select(l => l.ProductName!));
            var transaction = Assert.Single(payment.Transactions);
            Assert.Equal((id + "-t1", TransactionStatus.Paid, "1111"), (transaction.Id, transaction.Status, transaction.CardLast4));
        }
        var audit = Assert.Single(await AuditsAsync());
        Assert.Equal((VoucherlyImportCommands.AuditAction, "payment", id, id), (audit.Action, audit.ResourceType, audit.ResourceId, audit.PaymentId));
        Assert.Equal(("user-1", "staff@shop.test", "ui"), (audit.ActorId, audit.ActorName, audit.Origin));
        Assert.Equal(Now.UtcDateTime, audit.OccurredAtUtc);
        Assert.StartsWith($"Created from Voucherly payment {id}", audit.Details);
        Assert.Contains("\"outcome\":\"Created\"", audit.After);
    }

    [Fact]
    public async Task Import_Twice_UnchangedThenUpdatedAfterVoucherlyMovesIt_NeverADuplicate()
    {
        var id = NewId();
        Sandbox.Put(Order(id));
        var commands = Commands();
        Assert.Equal(VoucherlyImportOutcome.Created, (await commands.ImportAsync(Staff, id, default)).Outcome);

        var again = await commands.ImportAsync(Staff, id, default);

        Assert.Equal((VoucherlyImportOutcome.Unchanged, id), (again.Outcome, again.PaymentId));
        Assert.True(again.HasPayment);
        Assert.Equal((1, 1), ((await CountsAsync()).Payments, (await CountsAsync()).Transactions));

        Sandbox.Put(Order(id, status: "Confirmed", transactionStatus: "Confirmed"));
        var moved = await commands.ImportAsync(Staff, " " + id + " ", default);

        Assert.Equal((VoucherlyImportOutcome.Updated, id), (moved.Outcome, moved.PaymentId));
        Assert.Contains("Paid → Confirmed", moved.Message);
        var counts = await CountsAsync();
        Assert.Equal((1, 1, 1), (counts.Payments, counts.Transactions, counts.SyncStates));
        await using (var db = _db.CreateDbContext())
            Assert.Equal(PaymentStatus.Confirmed, (await db.Set<Payment>().SingleAsync()).Status);
        var audits = await AuditsAsync();
        Assert.Equal(["Created", "Unchanged", "Updated"], audits.Select(a => a.Details!.Split(' ')[0]));
        Assert.All(audits, a => Assert.Equal((VoucherlyImportCommands.AuditAction, id), (a.Action, a.ResourceId)));
    }

    [Fact]
    public async Task Import_IdVoucherlyDoesNotHave_NotFoundAndNothingWritten()
    {
        var id = NewId();

        var result = await Commands().ImportAsync(Staff, id, default);

        Assert.Equal(VoucherlyImportOutcome.NotFound, result.Outcome);
        Assert.Equal($"Voucherly has no payment {id}.", result.Message);
        Assert.False(result.HasPayment);
        Assert.Equal(1, Sandbox.ReadCount(id));
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Theory]
    [InlineData("", "Enter the Voucherly payment id.")]
    [InlineData("   ", "Enter the Voucherly payment id.")]
    [InlineData("vly pay 1", "only letters, digits")]
    [InlineData("../admin", "only letters, digits")]
    [InlineData("vly%2Fpay", "only letters, digits")]
    [InlineData("vly_pay?x=1", "only letters, digits")]
    [InlineData("vly_pày", "only letters, digits")]
    public async Task Import_InvalidId_ValidationMessageAndVoucherlyNeverAsked(string input, string message)
    {
        var before = Sandbox.TotalReads;

        var result = await Commands().ImportAsync(Staff, input, default);

        Assert.Equal(VoucherlyImportOutcome.Invalid, result.Outcome);
        Assert.Contains(message, result.Message);
        Assert.Equal(before, Sandbox.TotalReads);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_IdLongerThanThePortalCanKeep_ValidationMessageAndVoucherlyNeverAsked()
    {
        var before = Sandbox.TotalReads;

        var result = await Commands().ImportAsync(Staff, new string('a', VoucherlyImportCommands.MaxIdLength + 1), default);

        Assert.Equal(VoucherlyImportOutcome.Invalid, result.Outcome);
        Assert.Contains($"at most {VoucherlyImportCommands.MaxIdLength} characters", result.Message);
        Assert.Equal(before, Sandbox.TotalReads);
        Assert.Null(VoucherlyImportCommands.Validate(new string('a', VoucherlyImportCommands.MaxIdLength)));
    }

    [Theory]
    [InlineData(VoucherlySandboxSeed.Timeout)]
    [InlineData(VoucherlySandboxSeed.ServerError)]
    [InlineData(VoucherlySandboxSeed.MalformedJson)]
    public async Task Import_VoucherlySlowDownOrGarbled_UnansweredAndNothingWritten(string id)
    {
        var result = await Commands().ImportAsync(Staff, id, default);

        Assert.Equal(VoucherlyImportOutcome.Unanswered, result.Outcome);
        Assert.Equal("Voucherly did not answer; try again.", result.Message);
        Assert.False(string.IsNullOrEmpty(result.Detail));
        Assert.Null(result.PaymentId);
        Assert.True(Sandbox.ReadCount(id) >= 1);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_VoucherlyUnreachable_UnansweredAndNothingWritten()
    {
        // A port nobody listens on: the connection is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new FixedOptions<VoucherlyOptions>(new VoucherlyOptions { BaseUrl = $"http://127.0.0.1:{port}/", ApiKey = "k", TimeoutSeconds = 2 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var client = new VoucherlyClient(http, fixture.Service<GatewayBaseAddresses>(), options, NullLogger<VoucherlyClient>.Instance);
        var unreachable = new VoucherlyPaymentSource(client, new FixedOptions<VoucherlySyncOptions>(new VoucherlySyncOptions()), _clock);

        var result = await Commands(unreachable).ImportAsync(Staff, NewId(), default);

        Assert.Equal(VoucherlyImportOutcome.Unanswered, result.Outcome);
        Assert.Contains("transport failure", result.Detail);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_AnswerTheModelCannotTake_FailedWithTheReasonAndNothingCreated()
    {
        var id = NewId();
        Sandbox.Put(Order(id, status: "Exploded"));

        var result = await Commands().ImportAsync(Staff, id, default);

        Assert.Equal(VoucherlyImportOutcome.Failed, result.Outcome);
        Assert.Contains($"Voucherly's answer for {id} could not be imported", result.Message);
        Assert.Contains("Exploded", result.Message);
        Assert.False(result.HasPayment);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_SomethingUnexpectedThrows_FailedResultNotAnException()
    {
        var result = await Commands(new ThrowingVoucherly()).ImportAsync(Staff, NewId(), default);

        Assert.Equal(VoucherlyImportOutcome.Failed, result.Outcome);
        Assert.Contains("The error was logged", result.Message);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Theory]
    [InlineData(Roles.Staff)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Finance)]
    public async Task Import_AnyPortalRole_Allowed(string role)
    {
        var id = NewId();
        Sandbox.Put(Order(id));

        var result = await Commands().ImportAsync(User(role), id, default);

        Assert.Equal(VoucherlyImportOutcome.Created, result.Outcome);
    }

    [Fact]
    public async Task Import_SignedInWithoutAPortalRole_ForbiddenAndVoucherlyNeverAsked()
    {
        var id = NewId();
        Sandbox.Put(Order(id));

        var noRole = await Commands().ImportAsync(User(), id, default);
        var anonymous = await Commands().ImportAsync(new ClaimsPrincipal(new ClaimsIdentity()), id, default);

        Assert.Equal((VoucherlyImportOutcome.Forbidden, VoucherlyImportOutcome.Forbidden), (noRole.Outcome, anonymous.Outcome));
        Assert.Equal(0, Sandbox.ReadCount(id));
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Theory]
    [InlineData("vly_pay_confirmed", true)]
    [InlineData("3fa85f64-5717-4562-b3fc-2c963f660001", true)]
    [InlineData("order-1001", true)]
    [InlineData("1111", false)]
    [InlineData("txn_01JD0000000000000000000000", false)]
    [InlineData("anna@example.com", false)]
    [InlineData("Anna Rossi", false)]
    [InlineData("", false)]
    public void CouldBeVoucherlyId_SearchQuery_OnlyWhenItCouldBeAnId(string query, bool expected)
    {
        Assert.Equal(expected, VoucherlyImportCommands.CouldBeVoucherlyId(query));
    }

    public void Dispose() => _db.Dispose();

    private sealed class ThrowingVoucherly : IVoucherlyPayments
    {
        public Task<VoucherlyLookup> GetAsync(string voucherlyPaymentId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
