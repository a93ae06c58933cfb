using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
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

    /// <summary>The theme in use (MainLayout cascades it), for the chart's series colours.</summary>
    [CascadingParameter(Name = "PortalDarkMode")] private bool Dark { get; set; }

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

    /// <summary>One stacked column per day, one series per status present, coloured from the theme's palette.</summary>
    private ChartModel Chart(DashboardChart chart)
    {
        var buckets = chartMode == ChartMode.Count
            ? chart.Buckets
            : chart.Buckets.Where(b => b.Currency.Code == chartCurrency && b.Collected > 0).ToList();
        var series = new List<ChartSeries<double>>();
        var palette = new List<string>();
        foreach (var status in Enum.GetValues<PaymentStatus>())
        {
            var ofStatus = buckets.Where(b => b.Status == status).ToList();
            if (ofStatus.Count == 0) continue;
            var values = chart.Days.Select(day =>
            {
                var onDay = ofStatus.Where(b => b.Day == day);
                return chartMode == ChartMode.Count
                    ? onDay.Sum(b => b.Count)
                    : (double)onDay.Sum(b => new Domain.Money.Money(b.Collected, b.Currency).ToDecimal());
            }).ToList();
            series.Add(new ChartSeries<double>(values) { Name = status.ToString() });
            palette.Add(Layout.PortalTheme.StatusColor(status, Dark));
        }
        var labels = chart.Days.Select(day => day.ToString("d MMM", Culture)).ToArray();
        var options = new StackedBarChartOptions
        {
            ChartPalette = [.. palette],
            YAxisToStringFunc = v => v.ToString("#,0.##", Culture),
            YAxisLines = true,
            // Thirty labels do not fit under thirty columns: one a week.
            XAxisLabelInterval = labels.Length > 10 ? 7 : 1,
            ShowToolTips = true,
        };
        return new ChartModel(series, labels, options);
    }

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

    private sealed record ChartModel(List<ChartSeries<double>> Series, string[] Labels, StackedBarChartOptions Options);
}
