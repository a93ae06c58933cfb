using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Portal.Domain.Webhooks;

/// <summary>Sorts a failure to apply a webhook into one that may pass on a later try and one that never will.</summary>
public static class WebhookFailures
{
    /// <summary>
    /// Transient: the payment is not in the portal yet (<see cref="UnknownPaymentException"/>), the
    /// payment changed while the event was applied (a concurrency conflict), or the database refused
    /// the write for now (busy, locked). Everything else (validation, an illegal move, a currency
    /// mismatch) is permanent.
    /// </summary>
    public static WebhookFailureKind Classify(Exception exception) => exception switch
    {
        UnknownPaymentException => WebhookFailureKind.Transient,
        DbUpdateConcurrencyException => WebhookFailureKind.Transient,
        DbUpdateException { InnerException: DbException db } when IsBusy(db) => WebhookFailureKind.Transient,
        DbException db when IsBusy(db) => WebhookFailureKind.Transient,
        _ => WebhookFailureKind.Permanent,
    };

    /// <summary>
    /// The provider says "try again": <see cref="DbException.IsTransient"/> where it is implemented;
    /// Microsoft.Data.Sqlite does not override it, so SQLite's busy/locked errors (codes 5 and 6,
    /// "database is locked", "database table is locked") are recognised by their message.
    /// </summary>
    private static bool IsBusy(DbException db) =>
        db.IsTransient
        || db.Message.Contains("database is locked", StringComparison.OrdinalIgnoreCase)
        || db.Message.Contains("database table is locked", StringComparison.OrdinalIgnoreCase)
        || db.Message.Contains("database is busy", StringComparison.OrdinalIgnoreCase);

    /// <summary>Exceptions the ingestion turns into a Failed delivery instead of letting them escape.</summary>
    internal static bool IsStorable(Exception exception) =>
        exception is DomainException || Classify(exception) == WebhookFailureKind.Transient;
}
