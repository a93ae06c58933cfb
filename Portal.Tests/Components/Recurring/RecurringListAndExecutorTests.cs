using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Pages.Recurring;
using Portal.Components.Shared;
using Portal.Domain;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Recurring;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components.Recurring;

/// <summary>The list page's empty states and address notice, and the command executor's busy guard and messages.</summary>
public sealed class RecurringListAndExecutorTests : BunitContext, IAsyncLifetime
{
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly PlainTokens _tokens = new();
    private readonly ApprovingGateway _gateway = new();

    public RecurringListAndExecutorTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(_db);
        Services.AddSingleton(new RecurringQueries(_db, _gateway, TimeProvider.System));
        Services.AddSingleton(RecurringUiTestData.Service(_db, _gateway, _tokens, TimeProvider.System));
        Services.AddScoped<BrowserTimeZone>();
        var auth = AddAuthorization();
        auth.SetAuthorized("finance@shop.test");
        auth.SetRoles(Roles.Finance);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-finance-1"));
    }

    private IRenderedComponent<RecurringList> RenderList(string address)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        Render<MudPopoverProvider>();
        return Render<RecurringList>();
    }

    [Fact]
    public void List_NoSchedulesAtAll_SaysHowSchedulesAreCreated()
    {
        var cut = RenderList("/recurring");

        cut.WaitForAssertion(() => Assert.Contains("Schedule recurring charge", cut.Find("[data-testid=recurring-empty]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=url-notice]"));
        Assert.True(cut.Find("[data-testid=export-csv]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task List_BadAddressValues_NoticeNamesThem_FilteredEmptyStateOffersToClear()
    {
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        await Services.GetRequiredService<Portal.Domain.Recurring.RecurringScheduleService>().CreateAsync(
            RecurringUiTestData.Command(paymentId, transactionId, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2)), RecurringUiTestData.Finance);

        var cut = RenderList("/recurring?status=Paused&size=13");

        cut.WaitForElement("[data-testid=recurring-empty-filtered]");
        Assert.Contains("size=13", cut.Find("[data-testid=url-notice]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=filter-clear]"));
    }

    [Fact]
    public async Task List_OneSchedule_RowLinksToItsPage_ExportCarriesTheFilter()
    {
        var (paymentId, transactionId) = await RecurringUiTestData.SeedTokenPaymentAsync(_db, _tokens, "tok_sandbox_approve");
        var view = await Services.GetRequiredService<Portal.Domain.Recurring.RecurringScheduleService>().CreateAsync(
            RecurringUiTestData.Command(paymentId, transactionId, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2)), RecurringUiTestData.Finance);

        var cut = RenderList("/recurring?status=Active");

        cut.WaitForAssertion(() => Assert.Equal($"/recurring/{view.Id}", cut.Find("[data-testid=schedule-link]").GetAttribute("href")));
        Assert.Equal("/recurring/export.csv?status=Active", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task Executor_SecondCommandWhileOneRuns_IsNotRun_AndBusyClearsAfterwards()
    {
        var executor = Executor(out _);
        var release = new TaskCompletionSource();
        var runs = 0;
        var first = executor.RunAsync(new UiCommand("pause", "Pause collection", "Pausing…"), async _ =>
        {
            runs++;
            await release.Task;
            return "Collection paused.";
        }, CancellationToken.None);

        Assert.True(executor.IsBusy);
        Assert.True(executor.IsRunning("pause"));
        Assert.False(await executor.RunAsync(new UiCommand("pause", "Pause collection", "Pausing…"), _ =>
        {
            runs++;
            return Task.FromResult("again");
        }, CancellationToken.None));

        release.SetResult();
        Assert.True(await first);
        Assert.Equal(1, runs);
        Assert.False(executor.IsBusy);
    }

    [Fact]
    public async Task Executor_RefusalShownAsItsMessage_FailureShownGenerically_SuccessShown()
    {
        var executor = Executor(out var snackbar);

        Assert.True(await executor.RunAsync(new UiCommand("resume", "Resume collection", "Resuming…"), _ => Task.FromResult("Collection resumed."), CancellationToken.None));
        Assert.False(await executor.RunAsync(new UiCommand("pause", "Pause collection", "Pausing…"),
            _ => throw new DomainException("Schedule rcs_1 is cancelled; only an active schedule can be paused."), CancellationToken.None));
        Assert.False(await executor.RunAsync(new UiCommand("charge-now", "Charge next cycle now", "Charging…"),
            _ => throw new InvalidOperationException("database is locked"), CancellationToken.None));

        var shown = snackbar.ShownSnackbars.Select(s => (Message: s.Message ?? "", s.Severity)).ToList();
        Assert.Contains(("Collection resumed.", Severity.Success), shown);
        Assert.Contains(("Pause collection: Schedule rcs_1 is cancelled; only an active schedule can be paused.", Severity.Error), shown);
        Assert.Contains(shown, s => s.Severity == Severity.Error && s.Message.StartsWith("Charge next cycle now failed", StringComparison.Ordinal)
                                    && !s.Message.Contains("database is locked", StringComparison.Ordinal));
        Assert.DoesNotContain(shown, s => s.Message.EndsWith('…'));
    }

    private CommandExecutor Executor(out ISnackbar snackbar)
    {
        snackbar = Services.GetRequiredService<ISnackbar>();
        return new CommandExecutor(Services.GetRequiredService<IDialogService>(), snackbar, NullLogger.Instance, () => { });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }
}
