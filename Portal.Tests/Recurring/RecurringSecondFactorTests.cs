using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Security;
using Portal.Tests.Infrastructure;
using Portal.Tests.Security;
using static Portal.Tests.Recurring.RecurringTestData;

namespace Portal.Tests.Recurring;

/// <summary>
/// The commands that make or enable charges (create, resume, change amount, charge now) need a
/// second factor, checked by the portal's real guard against real accounts; pause and cancel never do.
/// </summary>
public sealed class RecurringSecondFactorTests : IDisposable
{
    private const string Password = "Mfa-Test-Passw0rd!";
    private readonly SecurityApp _app = new();
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FixedClock _clock = new(Utc(2027, 3, 10));
    private readonly FakeTokenGateway _gateway = new();

    public RecurringSecondFactorTests()
    {
        _app.Settings["Security:RequireMfaForMoneyMovers"] = "true";
    }

    public void Dispose()
    {
        _db.Dispose();
        _app.Dispose();
    }

    private static DateOnly Day(int y, int m, int d) => new(y, m, d);

    private RecurringScheduleService Service(IMoneyMovementGuard guard) => RecurringTestData.Service(_db, _gateway, _clock, guard: guard);

    private SecondFactorMoneyMovementGuard Guard(bool required) =>
        new(_app.Service<IServiceScopeFactory>(),
            new StaticMonitor(new SecurityOptions { RequireMfaForMoneyMovers = required }),
            _app.Service<IOptions<PortalOptions>>(),
            new HostingEnvironment { EnvironmentName = "Production" },
            NullLogger<SecondFactorMoneyMovementGuard>.Instance);

    private async Task<RecurringUser> FinanceUserAsync(bool withAuthenticator)
    {
        var user = await TestUsers.CreateUniqueAsync(_app.Services, "rfin", Password, Roles.Finance);
        if (withAuthenticator)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(stored)).Succeeded);
            Assert.True((await users.SetTwoFactorEnabledAsync(stored, true)).Succeeded);
        }
        return new RecurringUser(Actor.User(user.Id, user.Email!), [Roles.Finance]);
    }

    /// <summary>A schedule due today, made without the guard (the setup, not the subject).</summary>
    private async Task<RecurringScheduleView> ScheduleDueTodayAsync()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        return await RecurringTestData.Service(_db, _gateway, _clock).CreateAsync(Create(p, t, Day(2027, 3, 10)), Finance);
    }

    private async Task<(int Audit, int Schedules, int Cycles, int Payments)> CountsAsync()
    {
        await using var db = _db.CreateDbContext();
        return (await db.Set<AuditEntry>().CountAsync(), await db.Set<RecurringSchedule>().CountAsync(),
            await db.Set<RecurringCycle>().CountAsync(), await db.Set<Payment>().CountAsync());
    }

    private async Task<AuditEntry> LastAuditAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Id).FirstAsync();
    }

    [Fact]
    public async Task FinanceWithoutAuthenticator_CreateResumeChangeChargeNowRefused_OnlyTheRefusalRowIsWritten_PauseAndCancelAllowed()
    {
        var schedule = await ScheduleDueTodayAsync();
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var finance = await FinanceUserAsync(withAuthenticator: false);
        var service = Service(Guard(required: true));

        // Pause stops money: never blocked by the second factor.
        Assert.Equal(RecurringScheduleStatus.Paused, (await service.PauseAsync(schedule.Id, finance)).Status);

        var refused = new (string Name, string Resource, Func<Task> Call)[]
        {
            ("resume", schedule.Id, () => service.ResumeAsync(schedule.Id, finance)),
            ("change amount", schedule.Id, () => service.ChangeAmountAsync(schedule.Id, 2_000, finance)),
            ("charge now", schedule.Id, () => service.ChargeNextNowAsync(schedule.Id, finance)),
            ("create", p, () => service.CreateAsync(Create(p, t, Day(2027, 3, 10)), finance)),
        };
        foreach (var (name, resource, call) in refused)
        {
            var before = await CountsAsync();
            var e = await Assert.ThrowsAsync<RecurringScheduleException>(call);

            Assert.Equal(RecurringRefusal.SecondFactorRequired, e.Refusal);
            Assert.Equal(SecondFactorMoneyMovementGuard.SetupPath, e.SetupPath);
            Assert.Contains("authenticator app", e.Message, StringComparison.Ordinal);
            var after = await CountsAsync();
            Assert.Equal((before.Audit + 1, before.Schedules, before.Cycles, before.Payments), after);
            var row = await LastAuditAsync();
            Assert.Equal((RecurringAuditActions.Refused, finance.Actor.Id, resource), (row.Action, row.ActorId, row.ResourceId));
            Assert.Contains("second factor", row.Details, StringComparison.Ordinal);
            Assert.True(row.Details!.Contains(name.Split(' ')[0], StringComparison.Ordinal), $"{name}: {row.Details}");
        }

        var unchanged = await ScheduleAsync(_db, schedule.Id);
        Assert.Equal((RecurringScheduleStatus.Paused, 1_000L, 1), (unchanged.Status, unchanged.AmountMinor, unchanged.NextCycleNumber));
        Assert.Empty(_gateway.Charges);

        // Cancel stops money too: allowed without a second factor.
        Assert.Equal(RecurringScheduleStatus.Cancelled, (await service.CancelAsync(schedule.Id, "wrong card", finance)).Status);
        Assert.Equal(
            [RecurringAuditActions.Created, RecurringAuditActions.Paused, RecurringAuditActions.Refused, RecurringAuditActions.Refused,
                RecurringAuditActions.Refused, RecurringAuditActions.Cancelled],
            (await AuditAsync(_db, schedule.Id)).Select(a => a.Action));
    }

    [Fact]
    public async Task FinanceWithoutAuthenticator_PauseAndCancelOfAnActiveSchedule_Allowed()
    {
        var schedule = await ScheduleDueTodayAsync();
        var other = await ScheduleDueTodayAsync();
        var finance = await FinanceUserAsync(withAuthenticator: false);
        var service = Service(Guard(required: true));

        Assert.Equal(RecurringScheduleStatus.Cancelled, (await service.CancelAsync(schedule.Id, null, finance)).Status);
        Assert.Equal(RecurringScheduleStatus.Paused, (await service.PauseAsync(other.Id, finance)).Status);
        Assert.Equal(0, (await RecurringTestData.Runner(_db, _gateway, _clock).RunDueAsync()).Claimed);
        Assert.Empty(_gateway.Charges);
    }

    [Fact]
    public async Task FinanceWithAuthenticator_EveryCommandAllowed()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var finance = await FinanceUserAsync(withAuthenticator: true);
        var service = Service(Guard(required: true));

        var created = await service.CreateAsync(Create(p, t, Day(2027, 3, 20)), finance);
        Assert.Equal(1_500, (await service.ChangeAmountAsync(created.Id, 1_500, finance)).AmountMinor);
        var outcome = await service.ChargeNextNowAsync(created.Id, finance);
        Assert.Equal(RecurringCycleStatus.Succeeded, outcome.Status);
        Assert.Equal(1_500, Assert.Single(_gateway.Charges).AmountMinor);
        Assert.Equal(RecurringScheduleStatus.Paused, (await service.PauseAsync(created.Id, finance)).Status);
        Assert.Equal(RecurringScheduleStatus.Active, (await service.ResumeAsync(created.Id, finance)).Status);
        Assert.Equal(RecurringScheduleStatus.Cancelled, (await service.CancelAsync(created.Id, null, finance)).Status);
        Assert.DoesNotContain(await AuditAsync(_db, created.Id), a => a.Action == RecurringAuditActions.Refused);
    }

    [Fact]
    public async Task GuardOff_FinanceWithoutAuthenticator_EveryCommandAllowed()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var finance = await FinanceUserAsync(withAuthenticator: false);
        var service = Service(Guard(required: false));

        var created = await service.CreateAsync(Create(p, t, Day(2027, 3, 20)), finance);
        Assert.Equal(1_500, (await service.ChangeAmountAsync(created.Id, 1_500, finance)).AmountMinor);
        Assert.Equal(RecurringCycleStatus.Succeeded, (await service.ChargeNextNowAsync(created.Id, finance)).Status);
        Assert.Equal(RecurringScheduleStatus.Paused, (await service.PauseAsync(created.Id, finance)).Status);
        Assert.Equal(RecurringScheduleStatus.Active, (await service.ResumeAsync(created.Id, finance)).Status);
        Assert.Single(_gateway.Charges);
    }

    [Fact]
    public async Task JobActor_PassesTheGuard_AndTheRunnerChargesWhatAGuardedPersonSetUp()
    {
        var (p, t) = await SeedSourceAsync(_db, "approve");
        var job = new RecurringUser(Actor.Job("recurring-charges"), [Roles.Finance]);
        var service = Service(Guard(required: true));

        var created = await service.CreateAsync(Create(p, t, Day(2027, 3, 20)), job);
        Assert.Equal(RecurringCycleStatus.Succeeded, (await service.ChargeNextNowAsync(created.Id, job)).Status);
        _clock.Advance(TimeSpan.FromDays(42));             // 21 April: cycle 2 (20 April) is due
        Assert.Equal(1, (await RecurringTestData.Runner(_db, _gateway, _clock).RunDueAsync()).Claimed);
        Assert.Equal(2, _gateway.Charges.Count);
    }

    [Fact]
    public async Task PortalServices_RecurringServiceGetsTheSecondFactorGuard()
    {
        var finance = await FinanceUserAsync(withAuthenticator: false);
        await using var scope = _app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RecurringScheduleService>();

        // The guard answers before the schedule is looked up; pause is not guarded, so it reaches the lookup.
        var resume = await Assert.ThrowsAsync<RecurringScheduleException>(() => service.ResumeAsync("rs-missing", finance));
        Assert.Equal(RecurringRefusal.SecondFactorRequired, resume.Refusal);
        Assert.Equal(SecondFactorMoneyMovementGuard.SetupPath, resume.SetupPath);
        var pause = await Assert.ThrowsAsync<RecurringScheduleException>(() => service.PauseAsync("rs-missing", finance));
        Assert.Equal(RecurringRefusal.NotFound, pause.Refusal);
    }

    private sealed class StaticMonitor(SecurityOptions value) : IOptionsMonitor<SecurityOptions>
    {
        public SecurityOptions CurrentValue => value;

        public SecurityOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SecurityOptions, string?> listener) => null;
    }
}
