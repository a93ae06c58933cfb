using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Refunds;
using MudBlazor;
using Portal.Refunds;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// The refund dialog: figures, amount (defaults to everything refundable), reason and note, then a
/// confirmation step repeating amount and currency. Each field shows its own validation message
/// (checked on Continue, cleared when the field is edited). One idempotency key is set when the dialog
/// opens (derived from the admin, the transaction and its attempts so far: <see cref="RefundKeys"/>)
/// and sent with every retry from it, so double clicks, a retry after an error, a second tab or a
/// reload never refund twice; a busy flag disables the buttons meanwhile.
/// </summary>
public sealed partial class RefundDialog
{
    private RefundQuote? quote;
    private Currency? currency;
    private decimal? amount;
    private long amountMinor;
    private RefundReason? reason;
    private string? note;
    private Step step = Step.Form;
    private bool busy;
    private string? error;
    private string? amountError;
    private string? reasonError;
    private string? noteError;
    private string? secondFactorSetup;
    private string? loadError;
    private RefundView? outcome;
    private bool alreadyMade;

    [Parameter, EditorRequired] public string PaymentId { get; set; } = "";

    [Parameter, EditorRequired] public string TransactionId { get; set; } = "";

    [Inject] private RefundCommands Refunds { get; set; } = default!;
    [CascadingParameter] private IMudDialogInstance? Dialog { get; set; }
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;
    [Inject] private ILogger<RefundDialog> Logger { get; set; } = default!;

    /// <summary>Set once when the dialog opens (<see cref="RefundKeys.ForDialog"/>): every submit from it carries the same key.</summary>
    internal string IdempotencyKey { get; private set; } = "";

    private enum Step { Form, Confirm, Done }

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

    private void SetMax()
    {
        amount = ToMajor(quote?.Refundable ?? 0);
        amountError = null;
    }

    private void AmountEdited() => amountError = null;

    private void ReasonEdited()
    {
        reasonError = null;
        if (reason != RefundReason.Other) noteError = null;
    }

    private void NoteEdited() => noteError = null;

    private void Continue()
    {
        error = null;
        if (quote is null || currency is null)
        {
            error = "The transaction could not be read.";
            return;
        }
        amountError = CheckAmount(quote, currency);
        reasonError = reason is null ? "Choose a reason." : null;
        noteError = reason == RefundReason.Other && string.IsNullOrWhiteSpace(note) ? "With the reason \"Other\", write a note saying why." : null;
        if (amountError is null && reasonError is null && noteError is null) step = Step.Confirm;
    }

    private string? CheckAmount(RefundQuote figures, Currency money)
    {
        if (amount is not { } value || value <= 0) return "Enter an amount above 0.";
        try
        {
            amountMinor = Money.FromDecimal(value, money).Minor;
        }
        catch (AmountPrecisionException)
        {
            return $"{money.Code} amounts have at most {money.Exponent} decimals.";
        }
        return amountMinor > figures.Refundable ? $"At most {Format(figures.Refundable)} can be refunded." : null;
    }

    private void Back()
    {
        if (busy) return;
        step = Step.Form;
    }

    private void Cancel() => Dialog?.Cancel();

    private async Task SubmitAsync()
    {
        // Set before the first await: clicks already on their way find the dialog busy.
        if (busy || step != Step.Confirm) return;
        busy = true;
        error = null;
        secondFactorSetup = null;
        Snackbar.Add($"Refunding {Format(amountMinor)}…", Severity.Info, o => o.VisibleStateDuration = 3000);
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
                    Snackbar.Add($"Refund already made: {Format(outcome.Amount)} had been refunded already; nothing new was sent.", Severity.Info);
                    break;
                case RefundStatus.Succeeded:
                    Snackbar.Add($"Refund succeeded: {Format(outcome.Amount)} refunded.", Severity.Success);
                    break;
                case RefundStatus.Failed:
                    Snackbar.Add("Refund failed: " + (outcome.GatewayMessage ?? "The gateway refused the refund."), Severity.Error);
                    break;
                default:
                    Snackbar.Add("Refund pending verification: the gateway's answer did not arrive; the refund is checked with the gateway automatically. Do not refund again.",
                        Severity.Warning);
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
            Snackbar.Add("Refund refused: " + ex.Message, Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Refund of transaction {TransactionId} failed in the dialog", TransactionId);
            error = "Something went wrong before the outcome was known. Pressing the button again is safe: it cannot refund twice.";
            Snackbar.Add("Refund not confirmed: " + error, Severity.Error);
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

    internal static Color StatusColour(RefundStatus status) => status switch
    {
        RefundStatus.Succeeded => Color.Success,
        RefundStatus.Failed => Color.Error,
        RefundStatus.PendingVerification => Color.Warning,
        _ => Color.Info,
    };
}
