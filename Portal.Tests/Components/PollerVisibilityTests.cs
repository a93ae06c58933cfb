using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages.Payments;
using Portal.Components.Pages.Transactions;
using Portal.Domain.Payments;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Payments;
using Portal.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Webhooks;
using WebhooksPage = Portal.Components.Pages.Webhooks.Webhooks;

namespace Portal.Tests.Components;

/// <summary>
/// What the poller and the webhook retry leave for people, as the pages show it: a failed delivery's
/// kind (transient, with its next automatic retry and tries, or permanent) on /webhooks, and an
/// attempt flagged for a person on /transactions (chip and filter). Real services on a fresh database.
/// </summary>
public sealed class PollerVisibilityTests : IAsyncLifetime
{
    private static readonly DateTime Received = new(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc);
    private const string FlagReason = "No answer from the gateway 72 h after the attempt started (timeout); whether money moved is not known.";
    private readonly PortalAppFactory _app = new();
    private readonly PortalComponentContext _ctx = new();

    public PollerVisibilityTests()
    {
        _app.Settings["Jobs:Enabled"] = "false";
        _ctx.Services.AddSingleton(_app.Service<WebhookQueries>());
        _ctx.Services.AddSingleton(_app.Service<WebhookIngestion>());
        _ctx.Services.AddSingleton(_app.Service<TransactionListQueries>());
        _ctx.Services.AddSingleton(_app.Service<SavedViews>());
        _ctx.Services.AddSingleton(_app.Service<ExportProgress>());
        _ctx.Services.AddSingleton(_app.Service<PaymentDetailsQueries>());
        _ctx.Services.AddSingleton(TimeProvider.System);
    }

    private IDbContextFactory<PortalDbContext> Db => _app.Service<IDbContextFactory<PortalDbContext>>();

    [Fact]
    public async Task WebhooksPage_FailedDeliveries_SayTransientWithNextRetryAndTriesOrPermanent()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            WebhookDelivery Delivery(string uid) => new(WebhookSource.EComCharge, uid + ":successful", uid, "successful", "{}", Received);
            var t = Delivery("uid-transient");
            t.MarkFailed("Charge uid-transient is not in the portal yet.", Received, kind: WebhookFailureKind.Transient, retryAtUtc: Received.AddMinutes(5));
            t.MarkFailed("Charge uid-transient is not in the portal yet.", Received.AddMinutes(1), kind: WebhookFailureKind.Transient, retryAtUtc: Received.AddMinutes(21));
            var u = Delivery("uid-used-up");
            u.MarkFailed("The database was busy.", Received, kind: WebhookFailureKind.Transient, retryAtUtc: null);
            var p = Delivery("uid-permanent");
            p.MarkFailed("Currency mismatch: the payment is in EUR, the callback in USD.", Received);
            var a = Delivery("uid-applied");
            db.AddRange(t, u, p, a);
            await db.SaveChangesAsync();
        }
        _ctx.SignIn("ada@shop.test", "ada", Roles.Admin);
        _ctx.RenderProviders();

        var page = _ctx.Render<WebhooksPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=webhooks-grid] tbody tr").Count(r => r.QuerySelector("[data-testid=webhook-expand]") is not null)),
            TimeSpan.FromSeconds(10));
        var transient = Row(page, "uid-transient");
        Assert.NotNull(transient.QuerySelector("[data-testid=failure-transient]"));
        Assert.Null(transient.QuerySelector("[data-testid=failure-permanent]"));
        var next = transient.QuerySelector("[data-testid=webhook-next-retry]")!;
        Assert.Contains("Next automatic retry 2026-12-07 08:21:00", next.TextContent);
        Assert.Contains("tried 2 times so far", next.TextContent);
        var usedUp = Row(page, "uid-used-up");
        Assert.NotNull(usedUp.QuerySelector("[data-testid=failure-transient]"));
        Assert.Contains("Automatic retries used up: tried once", usedUp.QuerySelector("[data-testid=webhook-retries-used]")!.TextContent);
        var permanent = Row(page, "uid-permanent");
        Assert.NotNull(permanent.QuerySelector("[data-testid=failure-permanent]"));
        Assert.Null(permanent.QuerySelector("[data-testid=failure-transient]"));
        Assert.Contains("Not retried automatically: tried once", permanent.QuerySelector("[data-testid=webhook-failure]")!.TextContent);
        Assert.Null(Row(page, "uid-applied").QuerySelector("[data-testid=webhook-failure]"));
    }

    /// <summary>The grid row showing the delivery of gateway transaction <paramref name="uid"/>.</summary>
    private static AngleSharp.Dom.IElement Row(IRenderedComponent<WebhooksPage> page, string uid) =>
        page.FindAll("[data-testid=webhooks-grid] tbody tr").Single(r => r.QuerySelector("[data-testid=webhook-expand]") is not null && r.TextContent.Contains(uid));

    [Fact]
    public void PollFlagChip_Flagged_ShowsFlaggedWithTheReasonAsTitle()
    {
        var chip = _ctx.Render<PollFlagChip>(p => p.Add(c => c.FlaggedAtUtc, Received).Add(c => c.Reason, FlagReason));
        var none = _ctx.Render<PollFlagChip>(p => p.Add(c => c.FlaggedAtUtc, null).Add(c => c.Reason, null));

        var element = chip.Find("[data-testid=poll-flagged]");
        Assert.Equal(FlagReason, element.GetAttribute("title"));
        Assert.Contains("Flagged", element.TextContent);
        Assert.Empty(none.Markup.Trim());
    }

    [Fact]
    public async Task TransactionsPage_FlaggedFilterInTheUrl_ListsOnlyTheFlaggedAttemptWithItsChip()
    {
        var (_, flagged) = await Domain.Refunds.RefundTestData.SeedConfirmedAsync(Db, 1_000, Received.AddHours(-2));
        var (_, plain) = await Domain.Refunds.RefundTestData.SeedConfirmedAsync(Db, 2_000, Received.AddHours(-1));
        await using (var db = await Db.CreateDbContextAsync())
            await db.Set<PaymentTransaction>().Where(t => t.Id == flagged).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PollFlaggedAtUtc, Received).SetProperty(t => t.PollFlagReason, FlagReason));
        _ctx.SignIn("sam@shop.test", "sam", Roles.Staff);
        _ctx.RenderProviders();
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/transactions?flagged=true");

        var page = _ctx.Render<TransactionsList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=poll-flagged]")), TimeSpan.FromSeconds(10));
        Assert.Contains(flagged, page.Find("[data-testid=transactions-grid]").TextContent);
        Assert.DoesNotContain(plain, page.Find("[data-testid=transactions-grid]").TextContent);
        Assert.Equal(FlagReason, page.Find("[data-testid=poll-flagged]").GetAttribute("title"));
        Assert.Contains("Flagged for a person", page.Find("[data-testid=filter-flagged]").InnerHtml);
    }

    [Fact]
    public async Task PaymentPage_FlaggedAttempt_ShowsTheChipOnThatAttemptOnly()
    {
        var (paymentId, flagged) = await Domain.Refunds.RefundTestData.SeedConfirmedAsync(Db, 1_000, Received.AddHours(-2));
        await using (var db = await Db.CreateDbContextAsync())
            await db.Set<PaymentTransaction>().Where(t => t.Id == flagged).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.PollFlaggedAtUtc, Received).SetProperty(t => t.PollFlagReason, FlagReason));
        var (otherPaymentId, _) = await Domain.Refunds.RefundTestData.SeedConfirmedAsync(Db, 2_000, Received.AddHours(-1));
        _ctx.SignIn("sam@shop.test", "sam", Roles.Staff);
        _ctx.RenderProviders();

        var page = _ctx.Render<PaymentPage>(p => p.Add(c => c.Id, paymentId));
        var other = _ctx.Render<PaymentPage>(p => p.Add(c => c.Id, otherPaymentId));

        page.WaitForAssertion(() => Assert.Equal(FlagReason, page.Find($"[data-testid=tx-status-{flagged}] [data-testid=poll-flagged]").GetAttribute("title")),
            TimeSpan.FromSeconds(10));
        other.WaitForAssertion(() => Assert.Single(other.FindAll("[data-testid=transaction-row]")), TimeSpan.FromSeconds(10));
        Assert.Empty(other.FindAll("[data-testid=poll-flagged]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _app.DisposeAsync();
    }
}
