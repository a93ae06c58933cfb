using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Domain.Security;

namespace Portal.Payments;

/// <summary>What a person's import of one Voucherly payment came to.</summary>
public enum VoucherlyImportOutcome
{
    /// <summary>The id is not one Voucherly could have: nothing was asked.</summary>
    Invalid,

    /// <summary>The person holds no portal role: nothing was asked.</summary>
    Forbidden,

    /// <summary>The portal did not know the payment; it does now.</summary>
    Created,

    /// <summary>The portal knew the payment; Voucherly's answer changed it.</summary>
    Updated,

    /// <summary>The portal knew the payment and it was already up to date.</summary>
    Unchanged,

    /// <summary>Voucherly has no payment with that id.</summary>
    NotFound,

    /// <summary>Voucherly gave no usable answer (down, too slow, a 5xx, an unreadable body): nothing was written.</summary>
    Unanswered,

    /// <summary>The payment changed in the portal meanwhile, or another import of it won: nothing applied.</summary>
    Conflict,

    /// <summary>Voucherly answered with something the portal cannot take (see the message).</summary>
    Failed,
}

/// <summary>The outcome for the dialog: what happened, the portal payment when there is one, and a sentence for a person.</summary>
/// <param name="Detail">The technical reason behind an Unanswered outcome (timeout, HTTP status), for whoever has to look further.</param>
public sealed record VoucherlyImportResult(VoucherlyImportOutcome Outcome, string VoucherlyPaymentId, string? PaymentId, string Message,
    string? Detail = null)
{
    /// <summary>The portal holds the payment now (Created, Updated or Unchanged): the dialog links to it.</summary>
    public bool HasPayment => PaymentId is not null
                              && Outcome is VoucherlyImportOutcome.Created or VoucherlyImportOutcome.Updated or VoucherlyImportOutcome.Unchanged;
}

/// <summary>
/// The one door to <see cref="VoucherlySync.ImportAsync"/> for people (the payments list's
/// "Import from Voucherly" dialog). Voucherly's API has no list endpoint, so a payment enters the
/// portal when someone gives its id. Checks the id before anything is sent, checks the role on the
/// server whatever the UI showed, audits what was imported under the person's name, and turns
/// every failure of Voucherly (down, slow, garbage) into an outcome the dialog can show.
/// </summary>
public sealed class VoucherlyImportCommands(
    VoucherlySync sync,
    IDbContextFactory<DbContext> dbFactory,
    AuditTrail audit,
    ILogger<VoucherlyImportCommands> logger)
{
    public const string AuditAction = "voucherly.imported";

    /// <summary>Longest id accepted: the longest id the portal can adopt as a payment id.</summary>
    public const int MaxIdLength = Ids.MaxLength;

    public static bool MayImport(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Roles.All.Any(user.IsInRole);

    /// <summary>
    /// Null when <paramref name="input"/>, trimmed, can be a Voucherly payment id; otherwise why not.
    /// Only letters, digits, '-' and '_': the id goes into Voucherly's URL path, where '/', '.', '%'
    /// or '?' would ask for something else.
    /// </summary>
    public static string? Validate(string? input)
    {
        var id = input?.Trim() ?? "";
        if (id.Length == 0)
            return "Enter the Voucherly payment id.";
        if (id.Length > MaxIdLength)
            return $"A Voucherly payment id has at most {MaxIdLength} characters; this one has {id.Length}.";
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return "A Voucherly payment id has only letters, digits, '-' and '_'.";
        return null;
    }

    /// <summary>
    /// Whether a search that found nothing is worth looking up in Voucherly: a valid id that is not
    /// a card's last four digits or one of the portal's own transaction ids.
    /// </summary>
    public static bool CouldBeVoucherlyId(string? query) =>
        Validate(query) is null && SearchShapes.Classify(query) is not (SearchShape.CardLast4 or SearchShape.TransactionId);

    public async Task<VoucherlyImportResult> ImportAsync(ClaimsPrincipal user, string? voucherlyPaymentId, CancellationToken cancellationToken)
    {
        var id = voucherlyPaymentId?.Trim() ?? "";
        if (Validate(id) is { } invalid)
            return new(VoucherlyImportOutcome.Invalid, id, null, invalid);
        if (!MayImport(user))
            return new(VoucherlyImportOutcome.Forbidden, id, null, "Only staff, admin and finance users can import payments from Voucherly.");
        var actor = CurrentActor.From(user);

        VoucherlySyncResult result;
        try
        {
            result = await sync.ImportAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The sync maps Voucherly's failures to outcomes; whatever still escapes (the database, a bug) is logged, not shown as an error page.
            logger.LogError(ex, "Import of Voucherly payment {VoucherlyPaymentId} by {ActorId} failed", id, actor.Id);
            return new(VoucherlyImportOutcome.Failed, id, null, "The import failed before its outcome was known. The error was logged; try again.");
        }

        var outcome = Map(result.Outcome);
        var message = Describe(id, outcome, result);
        if (outcome is VoucherlyImportOutcome.Created or VoucherlyImportOutcome.Updated or VoucherlyImportOutcome.Unchanged && result.PaymentId is { } paymentId)
        {
            // The sync committed on its own; the entry follows in its own unit of work, only for what did happen,
            // and is written even if the caller gives up now (the import is done either way).
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                audit.Record(db, actor, AuditAction, "payment", paymentId, paymentId,
                    after: new { VoucherlyPaymentId = id, Outcome = outcome.ToString(), result.RefusedReports },
                    details: $"{outcome} from Voucherly payment {id}: {result.Detail}");
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Audit entry for the import of Voucherly payment {VoucherlyPaymentId} as {PaymentId} could not be written", id, paymentId);
                message += " The audit entry could not be written; the error was logged.";
            }
        }
        logger.LogInformation("Import of Voucherly payment {VoucherlyPaymentId} by {ActorId}: {Outcome} ({PaymentId})", id, actor.Id, outcome, result.PaymentId);
        return new(outcome, id, result.PaymentId, message, outcome == VoucherlyImportOutcome.Unanswered ? result.Detail : null);
    }

    private static VoucherlyImportOutcome Map(VoucherlySyncOutcome outcome) => outcome switch
    {
        VoucherlySyncOutcome.Created => VoucherlyImportOutcome.Created,
        VoucherlySyncOutcome.Updated => VoucherlyImportOutcome.Updated,
        VoucherlySyncOutcome.Unchanged => VoucherlyImportOutcome.Unchanged,
        VoucherlySyncOutcome.NotFound => VoucherlyImportOutcome.NotFound,
        VoucherlySyncOutcome.Unanswered => VoucherlyImportOutcome.Unanswered,
        VoucherlySyncOutcome.Conflict => VoucherlyImportOutcome.Conflict,
        _ => VoucherlyImportOutcome.Failed,
    };

    private static string Describe(string id, VoucherlyImportOutcome outcome, VoucherlySyncResult result) => outcome switch
    {
        VoucherlyImportOutcome.Created => (result.PaymentId == id ? $"Voucherly payment {id} is now in the portal. " : $"Voucherly payment {id} is now in the portal as {result.PaymentId}. ")
                                          + result.Detail,
        VoucherlyImportOutcome.Updated => $"Payment {result.PaymentId} was already in the portal and is now up to date with Voucherly: {result.Detail}",
        VoucherlyImportOutcome.Unchanged => $"Payment {result.PaymentId} was already in the portal and up to date with Voucherly.",
        VoucherlyImportOutcome.NotFound => $"Voucherly has no payment {id}.",
        VoucherlyImportOutcome.Unanswered => "Voucherly did not answer; try again.",
        VoucherlyImportOutcome.Conflict => $"The payment changed in the portal while it was being imported; try again. {result.Detail}",
        _ => $"Voucherly's answer for {id} could not be imported: {result.Detail}",
    };
}
