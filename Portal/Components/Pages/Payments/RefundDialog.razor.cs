using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Refunds;
using Portal.Refunds;
using Radzen;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// The refund dialog: figures, amount (defaults to everything refundable), reason and note, then a
/// confirmation step repeating amount and currency. One idempotency key is set when the dialog
/// opens (derived from the admin, the transaction and its attempts so far: <see cref="RefundKeys"/>)
/// and sent with every retry from it, so double clicks, a retry after an error, a second tab or a
/// reload never refund twice; a busy flag disables the buttons meanwhile.
/// </summary>
public sealed partial class RefundDialog
{
    private static readonly IReadOnlyList<ReasonOption> reasons = Enum.GetValues<RefundReason>()
        .Select(r => new ReasonOption(r, RefundReasons.Describe(r))).ToList();

    private RefundQuote? quote;
    private Currency? currency;
    private decimal? amount;
    private long amountMinor;
    private RefundReason? reason;
    private string? note;
    private Step step = Step.Form;
    private bool busy;
    private string? error;
    private string? secondFactorSetup;
    private string? loadError;
    private RefundView? outcome;
    private bool alreadyMade;

    [Parameter, EditorRequired] public string PaymentId { get; set; } = "";

    [Parameter, EditorRequired] public string TransactionId { get; set; } = "";

    [Inject] private RefundCommands Refunds { get; set; } = default!;
    [Inject] private DialogService Dialogs { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;
    [Inject] private ILogger<RefundDialog> Logger { get; set; } = default!;

    /// <summary>Set once when the dialog opens (<see cref="RefundKeys.ForDialog"/>): every submit from it carries the same key.</summary>
    internal string IdempotencyKey { get; private set; } = "";

    private enum Step { Form, Confirm, Done }

    private sealed record ReasonOption(RefundReason Value, string Text);

    private string AmountFormat => currency is null || currency.Exponent == 0 ? "0" : "0." + new string('0', currency.Exponent);

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await LoadQuoteAsync();
            amount = ToMajor(quote!.Refundable);
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            IdempotencyKey = RefundKeys.ForDialog(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "anonymous", TransactionId, quote.AttemptsUsed);
        }
        catch (DomainException ex)
        {
            loadError = ex.Message;
        }
    }

    private async Task LoadQuoteAsync()
    {
        quote = await Refunds.QuoteAsync(PaymentId, TransactionId, CancellationToken.None);
        currency = Currency.Parse(quote.Currency);
    }

    private void SetMax() => amount = ToMajor(quote?.Refundable ?? 0);

    private void Continue()
    {
        error = Check();
        if (error is null) step = Step.Confirm;
    }

    private string? Check()
    {
        if (quote is null || currency is null) return "The transaction could not be read.";
        if (amount is not { } value || value <= 0) return "Enter an amount above 0.";
        try
        {
            amountMinor = Money.FromDecimal(value, currency).Minor;
        }
        catch (AmountPrecisionException)
        {
            return $"{currency.Code} amounts have at most {currency.Exponent} decimals.";
        }
        if (amountMinor > quote.Refundable) return $"At most {Format(quote.Refundable)} can be refunded.";
        if (reason is null) return "Choose a reason.";
        if (reason == RefundReason.Other && string.IsNullOrWhiteSpace(note)) return "With the reason \"Other\", write a note saying why.";
        return null;
    }

    private void Back()
    {
        if (busy) return;
        step = Step.Form;
    }

    private void Cancel() => Dialogs.Close(null);

    private async Task SubmitAsync()
    {
        // Set before the first await: clicks already on their way find the dialog busy.
        if (busy || step != Step.Confirm) return;
        busy = true;
        error = null;
        secondFactorSetup = null;
        Notifications.Notify(NotificationSeverity.Info, "Refund in progress", $"Refunding {Format(amountMinor)}…", TimeSpan.FromSeconds(3));
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            var result = await Refunds.RequestAsync(user,
                new RequestRefund(PaymentId, TransactionId, amountMinor, currency!.Code, reason!.Value, note, IdempotencyKey),
                RefundOrigins.Page, CancellationToken.None);
            outcome = result.Refund;
            alreadyMade = !result.Created;
            step = Step.Done;
            await LoadQuoteAsync();
            switch (outcome.Status)
            {
                case RefundStatus.Succeeded when alreadyMade:
                    Notifications.Notify(NotificationSeverity.Info, "Refund already made", $"{Format(outcome.Amount)} had been refunded already; nothing new was sent.");
                    break;
                case RefundStatus.Succeeded:
                    Notifications.Notify(NotificationSeverity.Success, "Refund succeeded", $"{Format(outcome.Amount)} refunded.");
                    break;
                case RefundStatus.Failed:
                    Notifications.Notify(NotificationSeverity.Error, "Refund failed", outcome.GatewayMessage ?? "The gateway refused the refund.");
                    break;
                default:
                    Notifications.Notify(NotificationSeverity.Warning, "Refund pending verification",
                        "The gateway's answer did not arrive; the refund is checked with the gateway automatically. Do not refund again.");
                    break;
            }
        }
        catch (RefundRefusedException ex)
        {
            // Nothing was sent: show why, with fresh figures, and let the admin change the amount.
            error = ex.Message;
            secondFactorSetup = ex.SetupPath;
            step = Step.Form;
            await LoadQuoteAsync();
            Notifications.Notify(NotificationSeverity.Error, "Refund refused", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Refund of transaction {TransactionId} failed in the dialog", TransactionId);
            error = "Something went wrong before the outcome was known. Pressing the button again is safe: it cannot refund twice.";
            Notifications.Notify(NotificationSeverity.Error, "Refund not confirmed", error);
        }
        finally
        {
            busy = false;
        }
    }

    private decimal ToMajor(long minor) => currency is null ? 0 : new Money(minor, currency).ToDecimal();

    private string Format(long minor) => currency is null ? minor.ToString(CultureInfo.InvariantCulture) : new Money(minor, currency).Format(CultureInfo.CurrentCulture);

    internal static string StatusText(RefundStatus status) => status switch
    {
        RefundStatus.PendingVerification => "Pending verification",
        _ => status.ToString(),
    };

    internal static BadgeStyle StatusStyle(RefundStatus status) => status switch
    {
        RefundStatus.Succeeded => BadgeStyle.Success,
        RefundStatus.Failed => BadgeStyle.Danger,
        RefundStatus.PendingVerification => BadgeStyle.Warning,
        _ => BadgeStyle.Info,
    };
}
