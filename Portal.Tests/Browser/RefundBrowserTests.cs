using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Gateways;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Persistence;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Browser;

/// <summary>The refund button and dialog in Chromium against the loopback portal and its eComCharge sandbox.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RefundBrowserTests(BrowserFixture fixture)
{
    private IDbContextFactory<PortalDbContext> Db => fixture.Server.LiveServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
    private EComChargeSandboxStore Sandbox => fixture.Server.LiveServices.GetRequiredService<EComChargeSandboxStore>();

    /// <summary>Where the payment's transactions and their actions are shown.</summary>
    private static string PaymentPage(string paymentId) => $"/payments/{paymentId}";

    private async Task<(string PaymentId, string TransactionId, string Uid)> ChargedAsync(long amount)
    {
        var charge = await fixture.Server.LiveServices.GetRequiredService<IPaymentGateway>().ChargeTokenAsync(
            new ChargeRequest(NewKey(), amount, "EUR", "Order for browser refund tests", SandboxTokens.Approve, TokenChargeKind.RecurringFirst));
        var uid = Assert.IsType<GatewayResult.Approved>(charge).GatewayTransactionId;
        var (paymentId, transactionId) = await SeedConfirmedAsync(Db, amount, DateTime.UtcNow.AddMinutes(-5), "ecomcharge", uid);
        return (paymentId, transactionId, uid);
    }

    private static async Task OpenDialogAsync(IPage page, string transactionId)
    {
        await page.ClickAsync($"[data-testid=refund-open-{transactionId}]");
        await Assertions.Expect(page.Locator("[data-testid=refund-figures]")).ToBeVisibleAsync();
    }

    private static async Task ChooseReasonAsync(IPage page, string reason)
    {
        await page.Locator("[data-testid=refund-reason]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = reason }).First.ClickAsync();
    }

    private static async Task SetAmountAsync(IPage page, string amount)
    {
        var input = page.Locator("[data-testid=refund-amount] input, input[data-testid=refund-amount]").First;
        await input.FillAsync(amount);
        await input.PressAsync("Tab");
    }

    [Fact]
    public async Task RefundJourney_AdminRefundsPartThenTheRest_StatusesTimelineAndRefundsListFollow()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(10_000);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, PaymentPage(paymentId));

        // Part: 40.00 of 100.00.
        await OpenDialogAsync(page, transactionId);
        await Assertions.Expect(page.Locator("[data-testid=refund-confirmed]")).ToContainTextAsync("100.00");
        await Assertions.Expect(page.Locator("[data-testid=refund-refundable]")).ToContainTextAsync("100.00");
        await SetAmountAsync(page, "40");
        await ChooseReasonAsync(page, "Requested by customer");
        await BrowserFixture.ScreenshotAsync(page, "refund-dialog");
        await page.ClickAsync("[data-testid=refund-continue]");
        await Assertions.Expect(page.Locator("[data-testid=refund-confirm-amount]")).ToContainTextAsync("EUR");
        await Assertions.Expect(page.Locator("[data-testid=refund-confirm-amount]")).ToContainTextAsync("40.00");
        await BrowserFixture.ScreenshotAsync(page, "refund-dialog-confirm");
        await page.ClickAsync("[data-testid=refund-submit]");
        await Assertions.Expect(page.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(page.Locator(".mud-snackbar.mud-alert-filled-success")).ToContainTextAsync("Refund succeeded");
        await BrowserFixture.ScreenshotAsync(page, "refund-dialog-succeeded");
        await page.ClickAsync("[data-testid=refund-close]");
        await Assertions.Expect(page.Locator($"[data-testid=tx-status-{transactionId}] [data-status]")).ToHaveAttributeAsync("data-status", "RefundedPartially");

        // The rest: the dialog offers exactly 60.00 ("max") and sends only that.
        await OpenDialogAsync(page, transactionId);
        await Assertions.Expect(page.Locator("[data-testid=refund-refunded]")).ToContainTextAsync("40.00");
        await Assertions.Expect(page.Locator("[data-testid=refund-refundable]")).ToContainTextAsync("60.00");
        await ChooseReasonAsync(page, "Duplicate");
        await page.ClickAsync("[data-testid=refund-continue]");
        await Assertions.Expect(page.Locator("[data-testid=refund-confirm-amount]")).ToContainTextAsync("60.00");
        await page.ClickAsync("[data-testid=refund-submit]");
        await Assertions.Expect(page.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");
        await page.ClickAsync("[data-testid=refund-close]");

        await Assertions.Expect(page.Locator($"[data-testid=tx-status-{transactionId}] [data-status]")).ToHaveAttributeAsync("data-status", "Refunded");
        await Assertions.Expect(page.Locator("[data-testid=payment-status] [data-status]")).ToHaveAttributeAsync("data-status", "Refunded");
        var timeline = page.Locator("[data-testid=timeline]");
        await Assertions.Expect(timeline).ToContainTextAsync("RefundedPartially");
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry]", new() { HasTextString = "refund.succeeded" }).First).ToContainTextAsync("admin@portal.local");
        await Assertions.Expect(timeline.Locator("[data-testid=timeline-entry]", new() { HasTextString = "refund.requested" })).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "refund-payment-after");
        Assert.Equal(10_000, Sandbox.RefundedAmountOf(uid));
        Assert.Equal(2, Sandbox.Requests.Count(r => r.Kind == "refund" && r.ParentUid == uid));

        // The Refunds list shows both, filterable by status in the address.
        await BrowserFixture.OpenAsync(page, "/refunds?status=Succeeded");
        var rows = page.Locator("[data-testid=refunds-grid] tr", new() { HasTextString = paymentId });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "refunds-page");
        await BrowserFixture.OpenAsync(page, "/refunds?status=Failed");
        await Assertions.Expect(page.Locator("[data-testid=refunds-grid] tr", new() { HasTextString = paymentId })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RefundsList_StatusChosenInTheFilter_LandsInTheAddressAndFiltersTheRows()
    {
        var (paymentId, transactionId, _) = await ChargedAsync(4_000);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, PaymentPage(paymentId));
        await OpenDialogAsync(page, transactionId);
        await ChooseReasonAsync(page, "Duplicate");
        await page.ClickAsync("[data-testid=refund-continue]");
        await page.ClickAsync("[data-testid=refund-submit]");
        await Assertions.Expect(page.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");

        await BrowserFixture.OpenAsync(page, "/refunds");
        var rows = page.Locator("[data-testid=refunds-grid] tr", new() { HasTextString = paymentId });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await page.Locator("[data-testid=filter-status] .mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "Failed" }).First.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=Failed"));
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=refunds-grid]")).ToContainTextAsync("No refunds match these filters.");

        // Clearing the filter shows the refund again.
        await page.Locator("[data-testid=filter-status] .mud-input-clear-button, [data-testid=filter-status] button[aria-label*=Clear]").First.ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status="));
        await Assertions.Expect(rows).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task RefundButton_FiveClicksWithinOneRender_ExactlyOneRefund()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(5_000);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, PaymentPage(paymentId));
        await OpenDialogAsync(page, transactionId);
        await SetAmountAsync(page, "10");
        await ChooseReasonAsync(page, "Duplicate");
        await page.ClickAsync("[data-testid=refund-continue]");
        await Assertions.Expect(page.Locator("[data-testid=refund-submit]")).ToBeEnabledAsync();

        // Five clicks dispatched synchronously: all leave the browser before the circuit re-renders.
        await page.Locator("[data-testid=refund-submit]").EvaluateAsync("el => { for (let i = 0; i < 5; i++) el.click(); }");

        await Assertions.Expect(page.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");
        await using var db = await Db.CreateDbContextAsync();
        var refund = Assert.Single(await db.Set<Refund>().Where(r => r.TransactionId == transactionId).ToListAsync());
        Assert.Equal(1_000, refund.Amount);
        Assert.Equal(1, Sandbox.RefundRequestCount(refund.IdempotencyKey));
        Assert.Single(Sandbox.Requests, r => r.Kind == "refund" && r.ParentUid == uid);
        Assert.Equal(1_000, Sandbox.RefundedAmountOf(uid));
    }

    [Fact]
    public async Task RefundDialog_SecondTabOpenedBeforeTheFirstRefunds_AnswersWithThatRefundNotASecond()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(6_000);
        var first = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(first, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        var second = await first.Context.NewPageAsync();
        foreach (var tab in new[] { first, second })
        {
            await BrowserFixture.OpenAsync(tab, PaymentPage(paymentId));
            await OpenDialogAsync(tab, transactionId);
            await SetAmountAsync(tab, "20");
            await ChooseReasonAsync(tab, "Duplicate");
            await tab.ClickAsync("[data-testid=refund-continue]");
        }

        await first.ClickAsync("[data-testid=refund-submit]");
        await Assertions.Expect(first.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");
        await second.ClickAsync("[data-testid=refund-submit]");
        await Assertions.Expect(second.Locator("[data-testid=refund-outcome-status]")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(second.Locator("[data-testid=refund-already-made]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(second, "refund-dialog-second-tab");

        await using var db = await Db.CreateDbContextAsync();
        var refund = Assert.Single(await db.Set<Refund>().Where(r => r.TransactionId == transactionId).ToListAsync());
        Assert.Equal(1, Sandbox.RefundRequestCount(refund.IdempotencyKey));
        Assert.Equal(2_000, Sandbox.RefundedAmountOf(uid));

        // A dialog opened after that refund shows it and would make a new one.
        await BrowserFixture.OpenAsync(second, PaymentPage(paymentId));
        await OpenDialogAsync(second, transactionId);
        await Assertions.Expect(second.Locator("[data-testid=refund-refundable]")).ToContainTextAsync("40.00");
    }

    [Fact]
    public async Task Staff_NoRefundButtonAndACraftedApiCallIsRefused()
    {
        var (paymentId, transactionId, uid) = await ChargedAsync(3_000);
        await TestUsers.EnsureUserAsync(fixture.Server.LiveServices, TestUsers.StaffEmail, TestUsers.StaffPassword, Roles.Staff);
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, TestUsers.StaffEmail, TestUsers.StaffPassword);
        await BrowserFixture.OpenAsync(page, PaymentPage(paymentId));
        await Assertions.Expect(page.Locator($"[data-testid=tx-status-{transactionId}]")).ToBeVisibleAsync();

        await Assertions.Expect(page.Locator($"[data-testid=refund-open-{transactionId}]")).ToHaveCountAsync(0);
        var status = await page.EvaluateAsync<int>(
            """
            async ([paymentId, transactionId]) => {
              const r = await fetch('/api/refunds', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ paymentId, transactionId, amount: 3000, currency: 'EUR', reason: 'duplicate', idempotencyKey: 'crafted-by-staff-1' }) });
              return r.status;
            }
            """, new[] { paymentId, transactionId });

        Assert.Equal(403, status);
        await using var db = await Db.CreateDbContextAsync();
        Assert.False(await db.Set<Refund>().AnyAsync(r => r.TransactionId == transactionId));
        Assert.Equal(0, Sandbox.RefundedAmountOf(uid));
        await page.GotoAsync("/refunds");
        await Assertions.Expect(page.GetByText("Not available to your role")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=refunds-grid]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RefundDialog_PhonePaymentThroughVcc_SaysItCannotBeRefundedFromThePortal()
    {
        var (paymentId, transactionId) = await SeedConfirmedAsync(Db, 2_500, DateTime.UtcNow.AddMinutes(-5), "vcc");
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, PortalAppFactory.AdminEmail, PortalAppFactory.AdminPassword);
        await BrowserFixture.OpenAsync(page, PaymentPage(paymentId));

        await OpenDialogAsync(page, transactionId);

        await Assertions.Expect(page.Locator("[data-testid=refund-not-refundable]")).ToContainTextAsync("VCC contract has no refund API");
        await Assertions.Expect(page.Locator("[data-testid=refund-refundable]")).ToContainTextAsync("0.00");
        await Assertions.Expect(page.Locator("[data-testid=refund-continue]")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(500); // let the dialog's opening animation finish for the screenshot
        await BrowserFixture.ScreenshotAsync(page, "refund-dialog-vcc");
    }
}
