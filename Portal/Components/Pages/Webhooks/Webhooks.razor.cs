using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Components.Shared;
using Portal.Domain;
using Portal.Domain.Webhooks;
using Portal.Webhooks;
using Radzen;
using Radzen.Blazor;

namespace Portal.Components.Pages.Webhooks;

public sealed partial class Webhooks
{
    private static readonly WebhookSource[] sources = Enum.GetValues<WebhookSource>();
    private static readonly WebhookDeliveryStatus[] statuses = Enum.GetValues<WebhookDeliveryStatus>();
    private readonly HashSet<long> busy = [];
    private readonly Dictionary<long, string> payloads = [];
    private RadzenDataGrid<WebhookRow>? grid;
    private IReadOnlyList<WebhookRow>? rows;
    private int total;
    private bool loading;
    private string? notice;

    [Inject] private WebhookQueries Queries { get; set; } = default!;
    [Inject] private WebhookIngestion Ingestion { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private DialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "source")] public string? SourceParam { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Search { get; set; }

    private WebhookSource? Source { get; set; }
    private WebhookDeliveryStatus? Status { get; set; }

    protected override void OnParametersSet()
    {
        var bad = new List<string>();
        Source = ParseEnum<WebhookSource>(SourceParam, "source", bad);
        Status = ParseEnum<WebhookDeliveryStatus>(StatusParam, "status", bad);
        notice = bad.Count == 0 ? null : "Ignored invalid filter values in the address: " + string.Join(", ", bad) + ".";
    }

    private static T? ParseEnum<T>(string? value, string name, List<string> bad) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) return parsed;
        bad.Add($"{name}={value}");
        return null;
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        loading = true;
        try
        {
            var (page, count) = await Queries.ListAsync(new WebhookFilter(Source, Status, Search), args.Skip ?? 0, args.Top ?? 25);
            rows = page;
            total = count;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task ApplyAsync()
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["source"] = Source?.ToString(),
            ["status"] = Status?.ToString(),
            ["q"] = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
        }), replace: true);
        if (grid is not null) await grid.FirstPage(true);
    }

    private async Task ExpandAsync(WebhookRow row)
    {
        if (payloads.ContainsKey(row.Id)) return;
        var raw = await Queries.PayloadAsync(row.Id) ?? "";
        try
        {
            using var document = JsonDocument.Parse(raw);
            payloads[row.Id] = JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            payloads[row.Id] = raw;
        }
    }

    private async Task ReprocessAsync(WebhookRow row)
    {
        var confirmed = await Dialogs.Confirm($"Apply the {SourceName(row.Source)} callback for {row.ExternalTransactionId} again?",
            "Reprocess callback", new ConfirmOptions { OkButtonText = "Reprocess", CancelButtonText = "Cancel" });
        if (confirmed != true || !busy.Add(row.Id)) return;
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            var result = await Ingestion.ReprocessAsync(row.Id, CurrentActor.From(user), CancellationToken.None);
            if (result.Outcome == WebhookIngestOutcome.Applied)
                Notifications.Notify(NotificationSeverity.Success, "Callback applied", result.Message ?? "");
            else if (result.Outcome == WebhookIngestOutcome.Refused)
                Notifications.Notify(NotificationSeverity.Info, "Callback recorded, status not changed", result.Message ?? "");
            else
                Notifications.Notify(NotificationSeverity.Warning, "Still failing", result.Message ?? "");
            if (grid is not null) await grid.Reload();
        }
        catch (DomainException ex)
        {
            Notifications.Notify(NotificationSeverity.Error, "Cannot reprocess", ex.Message);
        }
        finally
        {
            busy.Remove(row.Id);
        }
    }

    private static string SourceName(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => "VCC",
        WebhookSource.EComCharge => "eComCharge",
        _ => "Card gateway",
    };

    private static BadgeStyle StatusStyle(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Applied => BadgeStyle.Success,
        WebhookDeliveryStatus.Failed => BadgeStyle.Danger,
        _ => BadgeStyle.Info,
    };
}
