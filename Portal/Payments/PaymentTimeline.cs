using System.Globalization;
using Portal.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;

namespace Portal.Payments;

public enum TimelineKind
{
    /// <summary>A status change of the payment or one of its transactions that was applied.</summary>
    StatusChange,
    /// <summary>A reported change the transition table refused: recorded, flagged, not applied.</summary>
    RefusedStatusChange,
    /// <summary>A person's (or job's) action from the audit log.</summary>
    Audit,
    /// <summary>A callback received from a gateway or the contact centre.</summary>
    Webhook,
}

/// <summary>One thing that happened to a payment, as the payment page's timeline shows it.</summary>
public sealed record TimelineEntry(
    DateTime AtUtc,
    TimelineKind Kind,
    string Title,
    string? Detail,
    string? Who,
    string? TransactionId = null,
    long? WebhookDeliveryId = null,
    string? Outcome = null);

/// <summary>Merges the payment's status history, audit entries and webhook deliveries into one timeline.</summary>
public static class PaymentTimeline
{
    /// <summary>
    /// Newest first. At the same instant the order is the order things happen in: a callback
    /// arrives, a person acts, then the status changes they caused (listed newest first, so
    /// the status change comes before the callback). Within a source, later rows first.
    /// </summary>
    public static IReadOnlyList<TimelineEntry> Merge(IEnumerable<PaymentStatusChange> changes, IEnumerable<AuditEntry> audits,
        IEnumerable<WebhookTimelineItem> webhooks)
    {
        var entries = new List<(TimelineEntry Entry, int Rank, long Sequence)>();
        foreach (var c in changes)
        {
            var subject = c.TransactionId is null ? "Payment" : "Transaction";
            var title = c.FromStatus is null ? $"{subject} created as {c.ToStatus}" : $"{subject} {c.FromStatus} → {c.ToStatus}";
            entries.Add((new TimelineEntry(c.AtUtc, c.Applied ? TimelineKind.StatusChange : TimelineKind.RefusedStatusChange,
                c.Applied ? title : "Refused: " + title, c.Note == "Created." ? null : c.Note, c.Source, c.TransactionId), 2, c.Id));
        }
        foreach (var a in audits)
        {
            // The sentence the action wrote; the before/after JSON stays on the audit page, one click away.
            var detail = a.Details ?? Amounts(a);
            entries.Add((new TimelineEntry(a.OccurredAtUtc, TimelineKind.Audit, a.Action, detail, $"{a.ActorName} ({a.Origin})",
                a.ResourceType == "transaction" ? a.ResourceId : null), 1, a.Id));
        }
        foreach (var w in webhooks)
        {
            entries.Add((new TimelineEntry(w.ReceivedAtUtc, TimelineKind.Webhook, $"{SourceName(w.Source)} callback: {w.ReportedStatus ?? "no status"}",
                w.Error, SourceName(w.Source), null, w.Id, w.Status.ToString()), 0, w.Id));
        }
        return entries
            .OrderByDescending(e => e.Entry.AtUtc)
            .ThenByDescending(e => e.Rank)
            .ThenByDescending(e => e.Sequence)
            .Select(e => e.Entry)
            .ToList();
    }

    public static string SourceName(WebhookSource source) => source switch
    {
        WebhookSource.Vcc => "Contact centre (VCC)",
        WebhookSource.EComCharge => "eComCharge",
        WebhookSource.CardGateway => "Card gateway",
        _ => source.ToString(),
    };

    private static string? Amounts(AuditEntry a) => a.AmountBefore is null && a.AmountAfter is null
        ? null
        : $"{AuditDisplay.Amount(a.AmountBefore, a.Currency, CultureInfo.CurrentCulture)} → {AuditDisplay.Amount(a.AmountAfter, a.Currency, CultureInfo.CurrentCulture)}";
}

/// <summary>A webhook delivery without its payload (loaded only when someone opens it).</summary>
public sealed record WebhookTimelineItem(long Id, WebhookSource Source, string? ReportedStatus, DateTime ReceivedAtUtc,
    WebhookDeliveryStatus Status, string? Error);
