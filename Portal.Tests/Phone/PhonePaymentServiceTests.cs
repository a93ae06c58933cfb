using Microsoft.EntityFrameworkCore;
using Portal.Domain;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Phone;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Phone;

public sealed class PhonePaymentServiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FakeSessions _sessions = new();
    private readonly Actor _agent = Actor.User("u-1", "agent@shop.test");

    private PhonePaymentService Service() => new(_db, _sessions, new AuditTrail(new FixedClock(Now)), new FixedClock(Now));

    [Fact]
    public async Task Start_Valid_RecordsWaitingPaymentSessionAndAudit()
    {
        var session = await Service().StartAsync(new StartPhonePayment(12.40m, "gbp", "John", "Smith", "john@example.test", "ORDER-7"), _agent, default);

        Assert.Equal("ORDER-7", session.MerchantReference);
        Assert.Equal("https://vcc.test/view/p-1/framed", session.IframeUrl);
        var call = Assert.Single(_sessions.Calls);
        Assert.Equal((1240, "GBP", "ORDER-7", "agent@shop.test"), (call.Amount.Minor, call.Amount.Currency.Code, call.Reference, call.AgentId));
        await using var db = _db.CreateDbContext();
        var payment = await db.Set<Payment>().WithAggregate().SingleAsync();
        Assert.Equal(session.PaymentId, payment.Id);
        Assert.Equal((PaymentStatus.Requested, PaymentSource.Vcc, 1240L, "ORDER-7"), (payment.Status, payment.Source, payment.FinalAmount, payment.ReferenceId));
        Assert.Equal("john@example.test", payment.Customer.Email);
        var audit = await db.Set<AuditEntry>().SingleAsync();
        Assert.Equal(("phone-payment.started", payment.Id, 1240L), (audit.Action, audit.PaymentId, audit.AmountAfter!.Value));
    }

    [Fact]
    public async Task Start_NoReference_GeneratesOne()
    {
        var session = await Service().StartAsync(new StartPhonePayment(5, "EUR", "Ann", null, null, null), _agent, default);
        Assert.StartsWith("PHN-", session.MerchantReference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "EUR", "Ann", null, "more than zero")]
    [InlineData(12.345, "EUR", "Ann", null, "decimal place")]
    [InlineData(100.5, "JPY", "Ann", null, "decimal place")]
    [InlineData(10, "XYZ", "Ann", null, "currency")]
    [InlineData(10, "EUR", null, null, "caller's name")]
    [InlineData(10, "EUR", "Ann", "not-an-email", "valid email")]
    public async Task Start_BadInput_ClearErrorNoCallNoWrite(double amount, string currency, string? first, string? email, string expected)
    {
        var ex = await Assert.ThrowsAnyAsync<DomainException>(() =>
            Service().StartAsync(new StartPhonePayment((decimal)amount, currency, first, null, email, null), _agent, default));

        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_sessions.Calls);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Start_ContactCentreRefusesOrTimesOut_ClearErrorNothingRecorded()
    {
        _sessions.Next = new PhoneSessionOpened.Refused("agent is not on a call");
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            Service().StartAsync(new StartPhonePayment(10, "EUR", "Ann", null, null, null), _agent, default));
        Assert.Contains("agent is not on a call", refused.Message, StringComparison.Ordinal);

        _sessions.Next = new PhoneSessionOpened.Unknown("timeout");
        var unknown = await Assert.ThrowsAsync<DomainException>(() =>
            Service().StartAsync(new StartPhonePayment(10, "EUR", "Ann", null, null, null), _agent, default));
        Assert.Contains("did not answer", unknown.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Start_ReferenceAlreadyUsed_Refused()
    {
        await Service().StartAsync(new StartPhonePayment(10, "EUR", "Ann", null, null, "DUP-1"), _agent, default);
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            Service().StartAsync(new StartPhonePayment(10, "EUR", "Bob", null, null, "DUP-1"), _agent, default));
        Assert.Contains("DUP-1 already exists", ex.Message, StringComparison.Ordinal);
        Assert.Single(_sessions.Calls);
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.Set<Payment>().CountAsync());
        Assert.Equal(0, await db.Set<PhoneSession>().CountAsync());
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync());
    }

    public void Dispose() => _db.Dispose();

    private sealed class FakeSessions : IPhonePaymentSessions
    {
        public List<(string AgentId, Money Amount, string Reference)> Calls { get; } = [];

        public PhoneSessionOpened Next { get; set; } = new PhoneSessionOpened.Created("s-1", "https://vcc.test/view/p-1/framed", "p-1");

        public Task<PhoneSessionOpened> OpenAsync(string agentId, string? firstName, string? surname, string? email, Money amount,
            string merchantReference, CancellationToken cancellationToken)
        {
            Calls.Add((agentId, amount, merchantReference));
            return Task.FromResult(Next);
        }
    }
}
