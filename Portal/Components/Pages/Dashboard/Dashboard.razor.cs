using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Components.Shared;
using Portal.Dashboard;
using Portal.Domain.Payments;

namespace Portal.Components.Pages.Dashboard;

public sealed partial class Dashboard
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource disposed = new();
    private DashboardSnapshot? snapshot;
    private DateTime loadedAtUtc;
    private string? loadError;
    private bool loading;
    private ChartMode chartMode = ChartMode.Count;
    private string chartCurrency = "";
    private Timer? refresh;
    private bool canSeeRefunds;

    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    [Inject] private DashboardQueries Queries { get; set; } = default!;
    [Inject] private BrowserTimeZone Zone { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<Dashboard> Logger { get; set; } = default!;

    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    private string Subtitle => snapshot is null
        ? "Today at a glance"
        : snapshot.Today.ToString("dddd d MMMM yyyy", Culture) + (snapshot.IsLocalDay
            ? " · your local day"
            : " · UTC day (your time zone is not known yet)");

    private string CollectedLink => snapshot is { CollectedToday.Count: > 0 } s
        ? DashboardLinks.CollectedOn(s.Today, s.CollectedToday[0].Currency.Code)
        : DashboardLinks.PaymentsOn(snapshot!.Today, PaymentStatus.Paid, PaymentStatus.Confirmed, PaymentStatus.Refunded);

    protected override async Task OnInitializedAsync()
    {
        Zone.Changed += OnZoneChanged;
        if (AuthState is not null)
        {
            var user = (await AuthState).User;
            canSeeRefunds = user.IsInRole(Domain.Security.Roles.Admin) || user.IsInRole(Domain.Security.Roles.Finance);
        }
        await LoadAsync();
        refresh = new Timer(_ => InvokeAsync(async () =>
        {
            if (disposed.IsCancellationRequested) return;
            await LoadAsync();
            StateHasChanged();
        }), null, RefreshEvery, RefreshEvery);
    }

    // The browser's zone arrives after the first render: "today" may then be another day.
    private void OnZoneChanged() => InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private async Task LoadAsync()
    {
        if (loading) return;
        loading = true;
        try
        {
            var calendar = Zone.Known ? DashboardCalendar.For(Clock, Zone.ToLocal) : DashboardCalendar.Utc(Clock);
            snapshot = await Queries.GetAsync(calendar, disposed.Token);
            loadedAtUtc = Clock.GetUtcNow().UtcDateTime;
            loadError = null;
            var currencies = snapshot.Chart.Currencies;
            if (!currencies.Any(c => c.Code == chartCurrency)) chartCurrency = currencies.FirstOrDefault()?.Code ?? "";
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Dashboard query failed");
            loadError = ex.Message;
        }
        finally
        {
            loading = false;
        }
    }

    private IEnumerable<(PaymentStatus Status, List<ChartPoint> Points)> ChartSeries(DashboardChart chart)
    {
        var buckets = chartMode == ChartMode.Count
            ? chart.Buckets
            : chart.Buckets.Where(b => b.Currency.Code == chartCurrency && b.Collected > 0).ToList();
        foreach (var status in Enum.GetValues<PaymentStatus>())
        {
            var ofStatus = buckets.Where(b => b.Status == status).ToList();
            if (ofStatus.Count == 0) continue;
            var points = chart.Days.Select(day =>
            {
                var onDay = ofStatus.Where(b => b.Day == day);
                var value = chartMode == ChartMode.Count
                    ? onDay.Sum(b => b.Count)
                    : onDay.Sum(b => new Domain.Money.Money(b.Collected, b.Currency).ToDecimal());
                return new ChartPoint(day.ToString("d MMM", Culture), value);
            }).ToList();
            yield return (status, points);
        }
    }

    private string AxisFormat(object value) => value switch
    {
        decimal d when chartMode == ChartMode.Volume => d.ToString("#,0.##", Culture),
        IFormattable f => f.ToString("#,0.##", Culture),
        _ => value?.ToString() ?? "",
    };

    private static string Money(Domain.Money.Money money) => money.Format(Culture);

    private static string Number(int value) => value.ToString("N0", Culture);

    private static string SourceName(PaymentSource source) => source switch
    {
        PaymentSource.EComCharge => "eComCharge",
        PaymentSource.Vcc => "VCC phone",
        PaymentSource.CardGateway => "Card gateway",
        _ => source.ToString(),
    };

    public void Dispose()
    {
        Zone.Changed -= OnZoneChanged;
        disposed.Cancel();
        refresh?.Dispose();
        disposed.Dispose();
    }

    private enum ChartMode
    {
        Count,
        Volume,
    }

    private sealed record ChartPoint(string Label, decimal Value);
}

/// <summary>One colour per payment status, readable on light and dark backgrounds.</summary>
internal static class StatusColors
{
    public static string For(PaymentStatus status) => status switch
    {
        PaymentStatus.Confirmed => "#22a06b",
        PaymentStatus.Paid => "#2f8fd8",
        PaymentStatus.Requested => "#e0a526",
        PaymentStatus.Refunded => "#8b5cf6",
        PaymentStatus.Cancelled => "#94a3b8",
        PaymentStatus.Expired => "#64748b",
        PaymentStatus.Voided => "#d9534f",
        _ => "#999999",
    };
}
