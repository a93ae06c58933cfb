using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Portal.Components.Shared;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Phone;
using Portal.Domain.Webhooks;
using Portal.Phone;
using MudBlazor;

namespace Portal.Components.Pages.Phone;

public sealed partial class PhonePayments : IDisposable
{
    private static readonly IReadOnlyList<string> currencies = Currency.All.Select(c => c.Code).ToList();
    private readonly PhoneForm form = new();
    private IReadOnlyList<PhoneSessionRow> recent = [];
    private PhoneSessionRow? current;
    private string? error;
    private bool busy;
    private string userId = "";

    [Inject] private PhonePaymentService Service { get; set; } = default!;
    [Inject] private PhoneSessionQueries Queries { get; set; } = default!;
    [Inject] private WebhookIngestion Ingestion { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Auth.GetAuthenticationStateAsync()).User;
        userId = CurrentActor.From(user).Id;
        recent = await Queries.RecentAsync(userId);
        // The contact centre's callback arrives on another request: refresh when it touches our payment.
        Ingestion.PaymentChanged += OnPaymentChanged;
    }

    private async Task StartAsync()
    {
        if (busy) return;
        busy = true;
        error = null;
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            var session = await Service.StartAsync(new StartPhonePayment(form.Amount ?? 0, form.Currency, form.FirstName,
                form.LastName, form.Email, form.Reference), CurrentActor.From(user), CancellationToken.None);
            current = await Queries.FindAsync(session.Id);
            recent = await Queries.RecentAsync(userId);
            form.Reference = null;
        }
        catch (DomainException ex)
        {
            error = ex.Message;
        }
        finally
        {
            busy = false;
        }
    }

    private void OnPaymentChanged(string paymentId)
    {
        if (current?.PaymentId != paymentId && recent.All(r => r.PaymentId != paymentId)) return;
        _ = InvokeAsync(async () =>
        {
            if (current is not null) current = await Queries.FindAsync(current.Id);
            recent = await Queries.RecentAsync(userId);
            StateHasChanged();
        });
    }

    private async Task OpenFormAsync(string url) => await Js.InvokeVoidAsync("portal.openInNewTab", url);

    private async Task CopyAsync(string url)
    {
        var copied = await Js.InvokeAsync<bool>("portal.copyText", url);
        Snackbar.Add(copied ? "Link copied" : "Could not copy the link", copied ? Severity.Info : Severity.Warning);
    }

    private static string Outcome(PhoneSessionRow row) => row.PaymentStatus switch
    {
        PaymentStatus.Paid or PaymentStatus.Confirmed or PaymentStatus.Refunded => "paid",
        _ when row.LastAttemptStatus is TransactionStatus.Failed or TransactionStatus.Cancelled or TransactionStatus.Expired => "declined",
        _ => "waiting",
    };

    private static string Format(long minor, string currency) =>
        Currency.TryParse(currency, out var c) ? new Money(minor, c).Format(CultureInfo.CurrentCulture) : $"{minor} {currency}";

    public void Dispose() => Ingestion.PaymentChanged -= OnPaymentChanged;

    private sealed class PhoneForm
    {
        [Required(ErrorMessage = "Enter the amount.")]
        public decimal? Amount { get; set; }
        public string Currency { get; set; } = "EUR";
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        public string? Email { get; set; }
        public string? Reference { get; set; }
    }
}
