using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Domain.Recurring;
using Portal.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>
/// Creates a recurring schedule on the card of one successful transaction. Every bad input gets a
/// message next to its field and nothing is sent; the service checks the same rules again (and
/// the caller's role), and its per-field refusals land on the same fields. The idempotency key is
/// minted when the dialog opens, so a double click or a retry after a lost answer creates one
/// schedule. Closes with the created <see cref="RecurringScheduleView"/>.
/// </summary>
public sealed partial class ScheduleRecurringDialog
{
    private const int PreviewCount = 4;

    private static readonly HashSet<string> FieldKeys =
    [
        nameof(CreateRecurringSchedule.AmountMinor), nameof(CreateRecurringSchedule.Currency), nameof(CreateRecurringSchedule.Description),
        nameof(CreateRecurringSchedule.IntervalCount), nameof(CreateRecurringSchedule.IntervalUnit), nameof(CreateRecurringSchedule.StartDate),
        nameof(CreateRecurringSchedule.EndDate), nameof(CreateRecurringSchedule.MaxCycles), nameof(CreateRecurringSchedule.EndKind),
    ];

    private readonly string idempotencyKey = "ui-" + Guid.NewGuid().ToString("N");
    private readonly ScheduleDraft draft = new();
    private IReadOnlyDictionary<string, string> errors = new Dictionary<string, string>();
    private RecurringSource? source;
    private string? formError;
    private string? secondFactorSetup;
    private bool submitted;
    private bool saving;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Parameter, EditorRequired] public string PaymentId { get; set; } = "";
    [Parameter, EditorRequired] public string TransactionId { get; set; } = "";

    [Inject] private RecurringQueries Queries { get; set; } = default!;
    [Inject] private RecurringScheduleService Service { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<ScheduleRecurringDialog> Logger { get; set; } = default!;

    /// <summary>Today's UTC date: cycles fall due at midnight UTC of their date.</summary>
    private DateTime Today => Clock.GetUtcNow().UtcDateTime.Date;

    private string CardText => source?.CardLast4 is { } last4 ? $"{source.CardBrand} •••• {last4}".Trim() : "Card";

    /// <summary>Messages the form has no field for (the transaction itself, say).</summary>
    private IReadOnlyList<string> OtherErrors => errors.Where(e => !FieldKeys.Contains(e.Key)).Select(e => e.Value).ToList();

    protected override async Task OnInitializedAsync()
    {
        draft.StartDate = Today;
        var sources = await Queries.SourcesAsync(PaymentId);
        source = sources.FirstOrDefault(s => s.TransactionId == TransactionId)
                 ?? new RecurringSource(PaymentId, TransactionId, default, default, 0, "", null, null, null, null, false,
                     $"Payment {PaymentId} has no transaction {TransactionId}.");
        if (source.Eligible) draft.Amount = RecurringAmountInput.ToDecimal(source.AmountMinor, source.Currency);
    }

    private bool Has(string field) => errors.ContainsKey(field);

    private string? ErrorOf(string field) => errors.GetValueOrDefault(field);

    private static string UnitText(RecurringIntervalUnit unit) => unit.ToString().ToLowerInvariant() + "s";

    /// <summary>A field changed: after the first submit, messages follow the input as it is typed.</summary>
    private void Set(Action change)
    {
        change();
        if (submitted) Check();
    }

    private CreateRecurringSchedule? Check()
    {
        var (command, found) = draft.ToCommand(PaymentId, TransactionId, source!.Currency, idempotencyKey, Service.Validate);
        errors = found;
        return command;
    }

    private async Task SubmitAsync()
    {
        if (saving || source is not { Eligible: true }) return;
        submitted = true;
        formError = null;
        secondFactorSetup = null;
        var command = Check();
        if (command is null) return;
        saving = true;
        try
        {
            var user = RecurringUsers.From((await AuthState).User);
            var created = await Service.CreateAsync(command, user);
            Dialog.Close(DialogResult.Ok(created));
        }
        catch (RecurringScheduleException refused)
        {
            errors = refused.Errors;
            secondFactorSetup = refused.SetupPath;
            formError = refused.Refusal == RecurringRefusal.Invalid && refused.Errors.Keys.All(FieldKeys.Contains)
                ? "Correct the fields marked below."
                : refused.Message;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Creating a recurring schedule from transaction {TransactionId} failed", TransactionId);
            formError = "The schedule could not be created: the error was logged. Nothing was charged; try again.";
        }
        finally
        {
            saving = false;
        }
    }
}
