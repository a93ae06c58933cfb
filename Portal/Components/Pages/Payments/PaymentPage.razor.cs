using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>One payment: amounts and the recomputation check, parts, every gateway attempt and its timeline.</summary>
public sealed partial class PaymentPage : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly Dictionary<long, string> payloads = [];
    private PaymentDetails? details;
    private bool loading = true;

    [Parameter] public string Id { get; set; } = "";

    [Inject] private PaymentDetailsQueries Queries { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        loading = true;
        payloads.Clear();
        await ReloadAsync();
    }

    /// <summary>Reads the payment again (after a refund from a transaction row, for instance).</summary>
    private async Task ReloadAsync()
    {
        try
        {
            details = await Queries.GetAsync(Id, disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        loading = false;
    }

    private async Task ShowPayloadAsync(long deliveryId)
    {
        if (details is null) return;
        if (payloads.Remove(deliveryId)) return;
        var raw = await Queries.WebhookPayloadAsync(details.Payment.Id, deliveryId, disposed.Token) ?? "(payload not found)";
        try
        {
            using var document = JsonDocument.Parse(raw);
            payloads[deliveryId] = JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            payloads[deliveryId] = raw;
        }
    }

    private static IEnumerable<(string Label, long Computed, long? Reported)> TotalsRows(Payment p, AmountsBreakdown r) =>
    [
        ("Lines total", r.TotalAmount, p.ReportedTotalAmount),
        ("Discounts", r.DiscountAmount, p.ReportedDiscountAmount),
        ("Final", r.FinalAmount, p.ReportedFinalAmount),
        ("Paid", r.PaidAmount, p.ReportedPaidAmount),
        ("Paid by voucher", r.PaidVoucherAmount, p.ReportedPaidVoucherAmount),
        ("Remaining", r.RemainingAmount, p.ReportedRemainingAmount),
    ];

    /// <summary>An attempt's amounts in one compact column: requested always, the others once they are not zero.</summary>
    private static IEnumerable<(string Label, long Minor)> TransactionAmounts(PaymentTransaction t)
    {
        yield return ("Requested", t.RequestedAmount);
        if (t.ProcessedAmount != 0) yield return ("Processed", t.ProcessedAmount);
        if (t.ConfirmedAmount != 0) yield return ("Confirmed", t.ConfirmedAmount);
        if (t.RefundedAmount != 0) yield return ("Refunded", t.RefundedAmount);
        if (t.VoucherAmount != 0) yield return ("Voucher", t.VoucherAmount);
    }

    private static string Amount(long minor, Currency currency) =>
        minor == 0 ? "—" : new Money(minor, currency).Format(CultureInfo.CurrentCulture);

    private static string DiscountValue(PaymentDiscount d, Currency currency) => (d.Amount, d.Type, d.Value) switch
    {
        ({ } amount, _, _) => new Money(amount, currency).Format(CultureInfo.CurrentCulture),
        (null, DiscountType.PercentOff, { } percent) => percent.ToString("0.####", CultureInfo.CurrentCulture) + " %",
        (null, DiscountType.Fixed, { } price) => "price " + new Money((long)price, currency).Format(CultureInfo.CurrentCulture),
        (null, _, { } value) => new Money((long)value, currency).Format(CultureInfo.CurrentCulture),
        _ => "—",
    };

    private static string KindIcon(TimelineKind kind) => kind switch
    {
        TimelineKind.RefusedStatusChange => Icons.Material.Filled.Block,
        TimelineKind.Audit => Icons.Material.Filled.Person,
        TimelineKind.Webhook => Icons.Material.Filled.Webhook,
        _ => Icons.Material.Filled.SwapHoriz,
    };

    private static string KindClass(TimelineKind kind) => kind switch
    {
        TimelineKind.RefusedStatusChange => "portal-timeline-refused",
        TimelineKind.Audit => "portal-timeline-audit",
        TimelineKind.Webhook => "portal-timeline-webhook",
        _ => "portal-timeline-status",
    };

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
