using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Pages.Recurring;
using Portal.Components.Shared;
using Portal.Domain.Payments;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Recurring;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components.Recurring;

/// <summary>
/// The recurring components in bunit against a real SQLite database and the real services:
/// the create dialog's per-field validation (nothing saved on bad input) and which buttons each
/// role gets.
/// </summary>
public sealed class ScheduleRecurringDialogTests : BunitContext, IAsyncLifetime
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly PlainTokens _tokens = new();
    private readonly ApprovingGateway _gateway = new();
    private readonly BunitAuthorizationContext _auth;

    public ScheduleRecurringDialogTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(_db);
        Services.AddSingleton(new RecurringQueries(_db, _gateway, TimeProvider.System));
        Services.AddSingleton(RecurringUiTestData.Service(_db, _gateway, _tokens, TimeProvider.System));
        Services.AddScoped<BrowserTimeZone>();
        _auth = AddAuthorization();
    }

    private RecurringScheduleService Service => Services.GetRequiredService<RecurringScheduleService>();

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private void SignIn(string role, string id = "user-1")
    {
        _auth.SetAuthorized(role.ToLowerInvariant() + "@shop.test");
        _auth.SetRoles(role);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, role.ToLowerInvariant() + "@shop.test"));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenDialogAsync(string paymentId, string transactionId)
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ScheduleRecurringDialog>("Schedule recurring charge", new DialogParameters<ScheduleRecurringDialog>
        {
            { x => x.PaymentId, paymentId },
            { x => x.TransactionId, transactionId },
        }));
        provider.WaitForElement("[data-testid=schedule-source]");
        return provider;
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<MudDialogProvider> cut, string testId) =>
        cut.Find($"[data-testid={testId}] input, input[data-testid={testId}], [data-testid={testId}] textarea, textarea[data-testid={testId}]");

    private static void Change(IRenderedComponent<MudDialogProvider> cut, string testId, string value) => Input(cut, testId).Change(value);

    /// <summary>The error text shown under one field (MudBlazor's helper line), or null.</summary>
    private static string? FieldError(IRenderedComponent<MudDialogProvider> cut, string testId)
    {
        var field = cut.Find($"[data-testid={testId}]");
        var control = field.Closest(".mud-input-control") ?? field;
        if (control.QuerySelector(".mud-input-error") is null) return null;
        return control.QuerySelector(".mud-input-helper-text .me-auto")?.TextContent.Trim();
    }

    private static void Submit(IRenderedComponent<MudDialogProvider> cut) => cut.Find("[data-testid=schedule-submit]").Click();

    [Fact]
    public async Task CreateDialog_EveryFieldBad_EachFieldHasItsMessage_NothingSaved()
    {
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var cut = await OpenDialogAsync(paymentId, transactionId);

        Change(cut, "schedule-amount-input", "");
        Change(cut, "schedule-description", "   ");
        Change(cut, "schedule-every", "30"); // the field itself keeps 1-365; 30 months is more than the service allows
        Change(cut, "schedule-start", Today.AddDays(-10).ToString("yyyy-MM-dd"));
        Submit(cut);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Enter the amount to charge each cycle.", FieldError(cut, "schedule-amount-input"));
            Assert.Equal("Write a description (the customer sees it on the statement).", FieldError(cut, "schedule-description"));
            Assert.Equal("The interval must be every 1 to 24 months.", FieldError(cut, "schedule-every"));
            Assert.Equal("The start date cannot be in the past.", FieldError(cut, "schedule-start"));
        });
        Assert.Equal(0, await RecurringUiTestData.ScheduleCountAsync(_db));
        Assert.Equal(0, _gateway.Charges);
    }

    [Fact]
    public async Task CreateDialog_AmountWithTooManyDecimals_NamedOnTheAmount_NothingSaved()
    {
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var cut = await OpenDialogAsync(paymentId, transactionId);

        Change(cut, "schedule-amount-input", "12.345");
        Change(cut, "schedule-description", "Monthly membership");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal("EUR has 2 decimals: enter at most 2 digits after the point.", FieldError(cut, "schedule-amount-input")));
        Assert.Null(FieldError(cut, "schedule-description"));
        Assert.Equal(0, await RecurringUiTestData.ScheduleCountAsync(_db));
    }

    [Fact]
    public async Task CreateDialog_EndRules_MissingDateOrCountOrDateBeforeStart_EachNamed_NothingSaved()
    {
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var cut = await OpenDialogAsync(paymentId, transactionId);
        Change(cut, "schedule-description", "Monthly membership");

        cut.Find("input[data-testid=end-after-cycles]").Click();
        cut.WaitForElement("[data-testid=schedule-max-cycles]");
        Submit(cut);
        cut.WaitForAssertion(() => Assert.Equal($"Enter how many charges to make (1 to {RecurringSchedule.MaxCycles}).", FieldError(cut, "schedule-max-cycles")));

        cut.Find("input[data-testid=end-on-date]").Click();
        cut.WaitForElement("[data-testid=schedule-end-date]");
        cut.WaitForAssertion(() => Assert.Equal("Choose the date after which nothing is charged.", FieldError(cut, "schedule-end-date")));
        Change(cut, "schedule-start", Today.AddDays(10).ToString("yyyy-MM-dd"));
        Change(cut, "schedule-end-date", Today.AddDays(5).ToString("yyyy-MM-dd"));
        cut.WaitForAssertion(() => Assert.Equal("The end date must be on or after the start date.", FieldError(cut, "schedule-end-date")));

        Submit(cut);
        Assert.Equal(0, await RecurringUiTestData.ScheduleCountAsync(_db));
    }

    [Fact]
    public async Task CreateDialog_ValidInput_CreatesOneScheduleWithTheTypedSettings_NothingCharged()
    {
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve", amount: 2_500);
        var cut = await OpenDialogAsync(paymentId, transactionId);
        Assert.Equal("25.00", Input(cut, "schedule-amount-input").GetAttribute("value"));

        Change(cut, "schedule-amount-input", "19.90");
        Change(cut, "schedule-description", "Monthly membership");
        Change(cut, "schedule-every", "2");
        cut.Find("input[data-testid=end-after-cycles]").Click();
        Change(cut, "schedule-max-cycles", "6");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=schedule-dialog]")));
        await using var db = _db.CreateDbContext();
        var schedule = Assert.Single(await db.Set<RecurringSchedule>().ToListAsync());
        Assert.Equal(1_990, schedule.AmountMinor);
        Assert.Equal("EUR", schedule.Currency.Code);
        Assert.Equal(RecurringIntervalUnit.Month, schedule.IntervalUnit);
        Assert.Equal(2, schedule.IntervalCount);
        Assert.Equal(RecurringEndKind.AfterCycles, schedule.EndKind);
        Assert.Equal(6, schedule.MaxCycleCount);
        Assert.Equal(Today, schedule.StartDate);
        Assert.Equal(transactionId, schedule.SourceTransactionId);
        Assert.Equal(0, _gateway.Charges);
    }

    [Fact]
    public async Task CreateDialog_TransactionWithoutToken_SaysWhyAndOffersNoSubmit()
    {
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve", withToken: false);
        var cut = await OpenDialogAsync(paymentId, transactionId);

        Assert.Contains("No card token was stored", cut.Find("[data-testid=schedule-not-eligible]").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=schedule-submit]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Staff)]
    public async Task CreateDialog_OpenedByNonFinance_ServiceRefuses_NothingSaved(string role)
    {
        SignIn(role);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var cut = await OpenDialogAsync(paymentId, transactionId);
        Change(cut, "schedule-description", "Monthly membership");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal("Only finance can create a recurring schedule.", cut.Find("[data-testid=schedule-error]").TextContent.Trim()));
        Assert.Equal(0, await RecurringUiTestData.ScheduleCountAsync(_db));
    }

    [Fact]
    public async Task CreateDialog_FinanceWithoutSecondFactor_RefusedWithTheSetupLink_NothingSaved()
    {
        Services.AddSingleton(RecurringUiTestData.Service(_db, _gateway, _tokens, TimeProvider.System, new RefusingGuard()));
        SignIn(Roles.Finance);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var cut = await OpenDialogAsync(paymentId, transactionId);
        Change(cut, "schedule-description", "Monthly membership");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Contains("authenticator app first", cut.Find("[data-testid=schedule-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Account/Manage/EnableAuthenticator", cut.Find("[data-testid=recurring-mfa-setup]").GetAttribute("href"));
        Assert.Equal(0, await RecurringUiTestData.ScheduleCountAsync(_db));
        Assert.Equal(0, _gateway.Charges);
    }

    private sealed class RefusingGuard : IMoneyMovementGuard
    {
        public Task<MoneyMovementRefusal?> CheckAsync(Portal.Domain.Audit.Actor actor, CancellationToken cancellationToken = default) =>
            Task.FromResult<MoneyMovementRefusal?>(new("Set up an authenticator app first.", "/Account/Manage/EnableAuthenticator"));
    }

    [Theory]
    [InlineData(Roles.Finance, true)]
    [InlineData(Roles.Admin, false)]
    [InlineData(Roles.Staff, false)]
    public async Task ScheduleButton_OnlyFinanceGetsIt(string role, bool shown)
    {
        SignIn(role);
        var transaction = await TransactionAsync(TransactionStatus.Confirmed, withToken: true);

        var cut = Render<ScheduleRecurringButton>(p => p.Add(x => x.Transaction, transaction));

        Assert.Equal(shown ? 1 : 0, cut.FindAll($"[data-testid=schedule-open-{transaction.Id}]").Count);
    }

    [Theory]
    [InlineData(TransactionStatus.Failed, true)]
    [InlineData(TransactionStatus.Requested, true)]
    [InlineData(TransactionStatus.Confirmed, false)]
    public async Task ScheduleButton_NotOfferedWithoutASuccessfulCharge(TransactionStatus status, bool withToken)
    {
        SignIn(Roles.Finance);
        var transaction = await TransactionAsync(status, withToken);

        var cut = Render<ScheduleRecurringButton>(p => p.Add(x => x.Transaction, transaction));

        Assert.Empty(cut.FindAll("[data-testid^=schedule-open-]"));
    }

    [Fact]
    public async Task SchedulePage_Finance_GetsEveryActionOfAnActiveSchedule()
    {
        SignIn(Roles.Finance);
        var id = await ScheduleAsync();

        var cut = Render<RecurringSchedulePage>(p => p.Add(x => x.Id, id));

        cut.WaitForElement("[data-testid=schedule-actions]");
        foreach (var action in new[] { "charge-now", "pause", "change-amount", "cancel" })
            Assert.Single(cut.FindAll($"[data-testid=action-{action}]"));
        Assert.Empty(cut.FindAll("[data-testid=action-resume]"));
        Assert.Empty(cut.FindAll("[data-testid=read-only-note]"));
    }

    [Fact]
    public async Task SchedulePage_Admin_ReadsWithoutActions()
    {
        SignIn(Roles.Admin);
        var id = await ScheduleAsync();

        var cut = Render<RecurringSchedulePage>(p => p.Add(x => x.Id, id));

        cut.WaitForElement("[data-testid=read-only-note]");
        Assert.Empty(cut.FindAll("[data-testid=schedule-actions]"));
        Assert.Empty(cut.FindAll("[data-testid^=action-]"));
        Assert.Contains(id, cut.Find("[data-testid=schedule-id]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulePage_PausedSchedule_OffersResumeNotPauseOrChargeNow()
    {
        SignIn(Roles.Finance);
        var id = await ScheduleAsync();
        await Service.PauseAsync(id, RecurringUiTestData.Finance);

        var cut = Render<RecurringSchedulePage>(p => p.Add(x => x.Id, id));

        cut.WaitForElement("[data-testid=action-resume]");
        Assert.Empty(cut.FindAll("[data-testid=action-pause]"));
        Assert.Empty(cut.FindAll("[data-testid=action-charge-now]"));
    }

    [Fact]
    public async Task SchedulePage_UnknownId_SaysSo()
    {
        SignIn(Roles.Finance);

        var cut = Render<RecurringSchedulePage>(p => p.Add(x => x.Id, "rcs_nope"));

        cut.WaitForElement("[data-testid=schedule-not-found]");
    }

    [Fact]
    public async Task DashboardTile_FailingSchedules_CountedAndLinkedToTheFilteredList()
    {
        SignIn(Roles.Admin);
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        await Service.CreateAsync(RecurringUiTestData.Command(paymentId, transactionId, Today.AddDays(3)), RecurringUiTestData.Finance);

        var cut = Render<RecurringTile>(p => p.Add(x => x.Stamp, DateTime.UtcNow));

        cut.WaitForElement("[data-testid=tile-recurring]");
        Assert.Equal("0", cut.Find("[data-testid=recurring-failing]").TextContent.Trim());
        Assert.Equal("/recurring?status=NeedsAttention", cut.Find("[data-testid=recurring-needs-attention]").GetAttribute("href"));
        Assert.Equal("/recurring?status=PastDue", cut.Find("[data-testid=recurring-past-due]").GetAttribute("href"));
        Assert.Contains("1 active", cut.Find("[data-testid=tile-recurring]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DashboardTile_Staff_SeesNothing()
    {
        SignIn(Roles.Staff);

        var cut = Render<RecurringTile>(p => p.Add(x => x.Stamp, DateTime.UtcNow));

        Assert.Empty(cut.FindAll("[data-testid=tile-recurring]"));
    }

    private async Task<string> ScheduleAsync()
    {
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var view = await Service.CreateAsync(RecurringUiTestData.Command(paymentId, transactionId, Today.AddDays(3)), RecurringUiTestData.Finance);
        return view.Id;
    }

    private async Task<PaymentTransaction> TransactionAsync(TransactionStatus status, bool withToken)
    {
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve", status: status, withToken: withToken);
        await using var db = _db.CreateDbContext();
        var payment = await db.Set<Payment>().AsNoTracking().WithAggregate().SingleAsync(p => p.Id == paymentId);
        return payment.FindTransaction(transactionId);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are IAsyncDisposable only: the container must be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }
}
