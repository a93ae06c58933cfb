using Portal.Domain.Recurring;

namespace Portal.Components.Pages.Recurring;

/// <summary>
/// What the "Schedule recurring charge" form holds while someone types: loose types (an empty
/// field is null, the amount is in major units) so every bad input can be named next to its
/// field. <see cref="ToCommand"/> turns it into the service's command, or says what is wrong.
/// </summary>
public sealed class ScheduleDraft
{
    public decimal? Amount { get; set; }
    public string? Description { get; set; }
    public int? IntervalCount { get; set; } = 1;
    public RecurringIntervalUnit IntervalUnit { get; set; } = RecurringIntervalUnit.Month;
    public DateTime? StartDate { get; set; }
    public RecurringEndKind EndKind { get; set; } = RecurringEndKind.Never;
    public DateTime? EndDate { get; set; }
    public int? MaxCycles { get; set; }

    /// <summary>
    /// The command, when every field is well-formed; otherwise null and one message per bad field
    /// (keys are <see cref="CreateRecurringSchedule"/>'s property names, as the service uses).
    /// The service's own <see cref="RecurringScheduleService.Validate"/> decides the rules; this
    /// adds only what the loose types can get wrong (an empty field, too many decimals).
    /// </summary>
    public (CreateRecurringSchedule? Command, IReadOnlyDictionary<string, string> Errors) ToCommand(
        string paymentId, string transactionId, string currency, string idempotencyKey,
        Func<CreateRecurringSchedule, IReadOnlyDictionary<string, string>> validate)
    {
        var errors = new Dictionary<string, string>();
        if (!RecurringAmountInput.TryConvert(Amount, currency, out var minor, out var amountError))
            errors[nameof(CreateRecurringSchedule.AmountMinor)] = amountError!;
        if (IntervalCount is null)
            errors[nameof(CreateRecurringSchedule.IntervalCount)] = "Enter how many " + IntervalUnit.ToString().ToLowerInvariant() + "s lie between two charges.";
        if (EndKind == RecurringEndKind.AfterCycles && MaxCycles is null)
            errors[nameof(CreateRecurringSchedule.MaxCycles)] = $"Enter how many charges to make (1 to {RecurringSchedule.MaxCycles}).";
        if (EndKind == RecurringEndKind.OnDate && EndDate is null)
            errors[nameof(CreateRecurringSchedule.EndDate)] = "Choose the date after which nothing is charged.";
        if (StartDate is null)
            errors[nameof(CreateRecurringSchedule.StartDate)] = "Choose the date of the first charge.";

        var command = new CreateRecurringSchedule(
            paymentId, transactionId,
            AmountMinor: errors.ContainsKey(nameof(CreateRecurringSchedule.AmountMinor)) ? 1 : minor,
            Currency: currency,
            Description: Description?.Trim() ?? "",
            IntervalUnit: IntervalUnit,
            IntervalCount: IntervalCount ?? 1,
            StartDate: StartDate is { } start ? DateOnly.FromDateTime(start) : DateOnly.MaxValue,
            EndKind: EndKind,
            EndDate: EndKind == RecurringEndKind.OnDate && EndDate is { } end ? DateOnly.FromDateTime(end) : null,
            MaxCycles: EndKind == RecurringEndKind.AfterCycles ? MaxCycles : null,
            IdempotencyKey: idempotencyKey);
        foreach (var (field, message) in validate(command))
            errors.TryAdd(field, message);
        return errors.Count == 0 ? (command, errors) : (null, errors);
    }

    /// <summary>The first few charge dates the calendar gives for what is typed so far (empty when it cannot tell yet).</summary>
    public IReadOnlyList<DateOnly> FirstDates(int count)
    {
        if (StartDate is not { } start || IntervalCount is not ({ } every and >= 1 and <= RecurringSchedule.MaxIntervalCount)) return [];
        var anchor = DateOnly.FromDateTime(start);
        var limit = EndKind switch
        {
            RecurringEndKind.AfterCycles when MaxCycles is { } n and >= 1 => Math.Min(n, count),
            _ => count,
        };
        var dates = new List<DateOnly>();
        for (var n = 1; n <= limit; n++)
        {
            var date = RecurringCalendar.DateOf(anchor, IntervalUnit, every, n);
            if (EndKind == RecurringEndKind.OnDate && EndDate is { } end && date > DateOnly.FromDateTime(end)) break;
            dates.Add(date);
        }
        return dates;
    }
}
