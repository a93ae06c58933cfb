using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Pages.Payments;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Refunds;
using Portal.Tests.Domain.Refunds;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Domain.Refunds.RefundTestData;

namespace Portal.Tests.Components;

/// <summary>
/// The refund dialog and the transaction row's Refund button, rendered by bunit with MudBlazor's
/// dialog and popover providers, over a real SQLite database and a hand-written refund gateway.
/// </summary>
public sealed class RefundComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly TestDatabase _db = TestDatabase.CreateMigrated();
    private readonly FakeRefundGateway _gateway = new();
    private string _paymentId = "";
    private string _transactionId = "";

    public RefundComponentsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton(new RefundCommands(Service(_db, _gateway, TimeProvider.System)));
    }

    public async Task InitializeAsync() =>
        (_paymentId, _transactionId) = await SeedConfirmedAsync(_db, 10_000, DateTime.UtcNow.AddMinutes(-5));

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _db.Dispose();
    }

    private void SignIn(string role)
    {
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("someone@portal.local");
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-" + role));
    }

    private static string Eur(long minor) => new Money(minor, Currency.EUR).Format(CultureInfo.CurrentCulture);

    /// <summary>The layout's providers, which dialogs and select menus render into.</summary>
    private IRenderedComponent<ContainerFragment> RenderProviders() => _ctx.Render(b =>
    {
        b.OpenComponent<MudPopoverProvider>(0);
        b.CloseComponent();
        b.OpenComponent<MudDialogProvider>(1);
        b.CloseComponent();
    });

    private async Task<IRenderedComponent<ContainerFragment>> OpenDialogAsync()
    {
        SignIn(Roles.Admin);
        var host = RenderProviders();
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<RefundDialog> { { d => d.PaymentId, _paymentId }, { d => d.TransactionId, _transactionId } };
        await host.InvokeAsync(() => dialogs.ShowAsync<RefundDialog>("Refund", parameters));
        host.WaitForElement("[data-testid=refund-figures]");
        return host;
    }

    private static void TypeAmount(IRenderedComponent<ContainerFragment> host, string amount) =>
        host.Find("input[data-testid=refund-amount], [data-testid=refund-amount] input").Input(amount);

    private static async Task ChooseReasonAsync(IRenderedComponent<ContainerFragment> host, string reason)
    {
        var select = host.FindComponent<MudSelect<RefundReason?>>();
        await host.InvokeAsync(select.Instance.OpenMenu);
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll(".mud-popover-open .mud-list-item")));
        host.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == reason).Click();
    }

    /// <summary>The validation messages shown under the form's fields.</summary>
    private static List<string> FieldErrors(IRenderedComponent<ContainerFragment> host) =>
        host.FindAll("[data-testid=refund-form] .mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    private async Task AssertNothingRefundedAsync(IRenderedComponent<ContainerFragment> host)
    {
        Assert.Empty(host.FindAll("[data-testid=refund-confirm-step]"));
        Assert.Empty(_gateway.RefundCalls);
        Assert.Empty(await RefundsAsync(_db, _transactionId));
    }

    [Fact]
    public async Task RefundDialog_Opens_AmountIsEverythingRefundableAndTheKeyIsSet()
    {
        var host = await OpenDialogAsync();

        Assert.Contains(Eur(10_000), host.Find("[data-testid=refund-refundable]").TextContent, StringComparison.Ordinal);
        Assert.Equal("100.00", host.Find("input[data-testid=refund-amount], [data-testid=refund-amount] input").GetAttribute("value"));
        Assert.False(string.IsNullOrEmpty(host.FindComponent<RefundDialog>().Instance.IdempotencyKey));
    }

    [Fact]
    public async Task RefundDialog_AmountOverRefundable_MessageAtTheAmountAndNothingSent()
    {
        var host = await OpenDialogAsync();
        TypeAmount(host, "150");
        await ChooseReasonAsync(host, "Duplicate");

        host.Find("[data-testid=refund-continue]").Click();

        Assert.Equal([$"At most {Eur(10_000)} can be refunded."], FieldErrors(host));
        Assert.Contains($"At most {Eur(10_000)} can be refunded.", host.Find(".refund-amount-row").TextContent, StringComparison.Ordinal);
        await AssertNothingRefundedAsync(host);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task RefundDialog_ZeroOrNegativeAmount_AsksForAnAmountAboveZero(string amount)
    {
        var host = await OpenDialogAsync();
        TypeAmount(host, amount);
        await ChooseReasonAsync(host, "Duplicate");

        host.Find("[data-testid=refund-continue]").Click();

        Assert.Contains("Enter an amount above 0.", FieldErrors(host));
        await AssertNothingRefundedAsync(host);
    }

    [Fact]
    public async Task RefundDialog_NoReason_AsksForOne()
    {
        var host = await OpenDialogAsync();

        host.Find("[data-testid=refund-continue]").Click();

        Assert.Equal(["Choose a reason."], FieldErrors(host));
        await AssertNothingRefundedAsync(host);
    }

    [Fact]
    public async Task RefundDialog_OtherWithoutANote_AsksForTheNote_ThenConfirmsAmountAndCurrency()
    {
        var host = await OpenDialogAsync();
        TypeAmount(host, "40");
        await ChooseReasonAsync(host, "Other");

        host.Find("[data-testid=refund-continue]").Click();

        Assert.Equal(["With the reason \"Other\", write a note saying why."], FieldErrors(host));
        await AssertNothingRefundedAsync(host);

        host.Find("textarea[data-testid=refund-note], [data-testid=refund-note] textarea").Input("Goodwill after a late delivery");
        host.Find("[data-testid=refund-continue]").Click();

        var confirm = host.Find("[data-testid=refund-confirm-amount]").TextContent;
        Assert.Equal(Eur(4_000), confirm);
        Assert.Contains("EUR", confirm, StringComparison.Ordinal);
        Assert.Contains(Eur(4_000), host.Find("[data-testid=refund-submit]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_gateway.RefundCalls);
    }

    [Fact]
    public async Task RefundDialog_Submit_RefundsOnceWithTheKeyMintedAtOpening()
    {
        var host = await OpenDialogAsync();
        var key = host.FindComponent<RefundDialog>().Instance.IdempotencyKey;
        TypeAmount(host, "25");
        await ChooseReasonAsync(host, "Requested by customer");
        host.Find("[data-testid=refund-continue]").Click();

        host.Find("[data-testid=refund-submit]").Click();

        host.WaitForAssertion(() => Assert.Equal("Succeeded", host.Find("[data-testid=refund-outcome-status]").TextContent.Trim()));
        var call = Assert.Single(_gateway.RefundCalls);
        Assert.Equal(2_500, call.AmountMinor);
        var refund = Assert.Single(await RefundsAsync(_db, _transactionId));
        Assert.Equal(key, refund.IdempotencyKey);
    }

    private async Task<PaymentTransaction> TransactionAsync() => await RefundTestData.TransactionAsync(_db, _paymentId, _transactionId);

    [Fact]
    public async Task TransactionActions_Staff_NoRefundButton()
    {
        SignIn(Roles.Staff);
        var transaction = await TransactionAsync();

        var cut = _ctx.Render<TransactionActions>(p => p.Add(a => a.Transaction, transaction));

        Assert.Empty(cut.FindAll("[data-testid^=refund-open-]"));
    }

    [Fact]
    public async Task TransactionActions_Admin_RefundButtonOpensTheDialog()
    {
        SignIn(Roles.Admin);
        var transaction = await TransactionAsync();
        var host = RenderProviders();

        var cut = _ctx.Render<TransactionActions>(p => p.Add(a => a.Transaction, transaction));

        var button = cut.Find($"[data-testid=refund-open-{_transactionId}]");
        Assert.Equal("Refund", button.TextContent.Trim());
        button.Click();
        host.WaitForAssertion(() => Assert.Contains(Eur(10_000), host.Find("[data-testid=refund-refundable]").TextContent, StringComparison.Ordinal));
    }
}
