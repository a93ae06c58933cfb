using System.Globalization;
using Portal.Domain.Payments;

namespace Portal.Dashboard;

/// <summary>
/// Where each tile leads: the payments (or transactions) list with the matching filter in the
/// query string, using the list's parameter names (status comma-separated, from/to as yyyy-MM-dd).
/// </summary>
public static class DashboardLinks
{
    public static string PaymentsOn(DateOnly day, params PaymentStatus[] statuses)
    {
        var date = Date(day);
        var status = statuses.Length == 0 ? "" : "status=" + string.Join(",", statuses) + "&";
        return $"/payments?{status}from={date}&to={date}";
    }

    public static string CollectedOn(DateOnly day, string currency) =>
        PaymentsOn(day, PaymentStatus.Paid, PaymentStatus.Confirmed, PaymentStatus.Refunded) + "&currency=" + Uri.EscapeDataString(currency);

    public static string Flagged => "/payments?flagged=true";

    public static string Payment(string id) => "/payments/" + Uri.EscapeDataString(id);

    public static string AttemptsOn(DateOnly day) => $"/transactions?from={Date(day)}&to={Date(day)}";

    public static string RefundsOn(DateOnly day) => $"/refunds?from={Date(day)}&to={Date(day)}";

    public static string Pending => "/transactions?status=Requested,NextAction";

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
