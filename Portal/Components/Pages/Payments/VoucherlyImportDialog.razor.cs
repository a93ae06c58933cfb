using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// The "Import from Voucherly" dialog: an id, an Import button that is disabled (and ignores
/// clicks already on their way) while the import runs, and the outcome with a link to the payment.
/// The dialog stays open after an outcome so another id can be imported; every rule lives in
/// <see cref="VoucherlyImportCommands"/>.
/// </summary>
public sealed partial class VoucherlyImportDialog : IDisposable
{
    private readonly CancellationTokenSource closed = new();
    private string? id;
    private string? asked;
    private bool busy;
    private string? validation;
    private VoucherlyImportResult? result;
    private VoucherlyImportResult? lastImported;

    /// <summary>Pre-fills the id (the payments list's "Look up … in Voucherly").</summary>
    [Parameter] public string? InitialId { get; set; }

    /// <summary>Raised when a payment was imported or refreshed, so the list behind can show it.</summary>
    [Parameter] public EventCallback<VoucherlyImportResult> Imported { get; set; }

    [Inject] private VoucherlyImportCommands Commands { get; set; } = default!;
    [CascadingParameter] private IMudDialogInstance? Dialog { get; set; }
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;
    [Inject] private ILogger<VoucherlyImportDialog> Logger { get; set; } = default!;

    protected override void OnInitialized() => id = InitialId?.Trim();

    /// <summary>Closes with the last payment imported (null when none was).</summary>
    private void Close() => Dialog?.Close(DialogResult.Ok(lastImported));

    /// <summary>
    /// The id in the box was just imported: a second click that left the browser before the button
    /// was disabled (it can arrive after the first import finished) must not import it again.
    /// </summary>
    private bool AlreadyImported => result is { HasPayment: true } && result.VoucherlyPaymentId == id?.Trim();

    /// <summary>A new id starts a new import: the last message no longer describes it.</summary>
    private void IdEdited()
    {
        if (busy) return;
        validation = null;
        if (result is not null && result.VoucherlyPaymentId != id?.Trim()) result = null;
    }

    private async Task ImportAsync()
    {
        // Set before the first await: a second click or Enter already on its way finds the dialog busy.
        if (busy || AlreadyImported) return;
        validation = VoucherlyImportCommands.Validate(id);
        result = null;
        if (validation is not null) return;
        busy = true;
        asked = id!.Trim();
        try
        {
            var user = (await Auth.GetAuthenticationStateAsync()).User;
            var outcome = await Commands.ImportAsync(user, asked, closed.Token);
            if (outcome.Outcome == VoucherlyImportOutcome.Invalid)
            {
                validation = outcome.Message;
                return;
            }
            result = outcome;
            if (outcome.HasPayment)
            {
                lastImported = outcome;
                await Imported.InvokeAsync(outcome);
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The dialog was closed meanwhile: nobody is left to show the outcome to.
        }
        catch (Exception ex)
        {
            // The command turns Voucherly's failures into outcomes; this is for the unexpected (e.g. the list's reload).
            Logger.LogError(ex, "Voucherly import of {VoucherlyPaymentId} failed in the dialog", asked);
            result = new VoucherlyImportResult(VoucherlyImportOutcome.Failed, asked, null, "Something went wrong. The error was logged; try again.");
        }
        finally
        {
            busy = false;
        }
    }

    internal static string OutcomeTitle(VoucherlyImportOutcome outcome) => outcome switch
    {
        VoucherlyImportOutcome.Created => "Imported",
        VoucherlyImportOutcome.Updated => "Updated",
        VoucherlyImportOutcome.Unchanged => "Already up to date",
        VoucherlyImportOutcome.NotFound => "Not found in Voucherly",
        VoucherlyImportOutcome.Unanswered => "No answer from Voucherly",
        VoucherlyImportOutcome.Conflict => "Changed meanwhile",
        VoucherlyImportOutcome.Forbidden => "Not allowed",
        _ => "Not imported",
    };

    private static string OutcomeIcon(VoucherlyImportOutcome outcome) => outcome switch
    {
        VoucherlyImportOutcome.Created or VoucherlyImportOutcome.Updated or VoucherlyImportOutcome.Unchanged => Icons.Material.Filled.CheckCircle,
        VoucherlyImportOutcome.NotFound => Icons.Material.Filled.SearchOff,
        VoucherlyImportOutcome.Unanswered => Icons.Material.Filled.CloudOff,
        _ => Icons.Material.Filled.Error,
    };

    private static Color OutcomeColour(VoucherlyImportOutcome outcome) => outcome switch
    {
        VoucherlyImportOutcome.Created or VoucherlyImportOutcome.Updated or VoucherlyImportOutcome.Unchanged => Color.Success,
        VoucherlyImportOutcome.NotFound or VoucherlyImportOutcome.Unanswered or VoucherlyImportOutcome.Conflict => Color.Warning,
        _ => Color.Error,
    };

    private static string OutcomeClass(VoucherlyImportOutcome outcome) => outcome switch
    {
        VoucherlyImportOutcome.Created or VoucherlyImportOutcome.Updated or VoucherlyImportOutcome.Unchanged => "vly-import-success",
        VoucherlyImportOutcome.NotFound or VoucherlyImportOutcome.Unanswered or VoucherlyImportOutcome.Conflict => "vly-import-warning",
        _ => "vly-import-error",
    };

    public void Dispose()
    {
        closed.Cancel();
        closed.Dispose();
    }
}
