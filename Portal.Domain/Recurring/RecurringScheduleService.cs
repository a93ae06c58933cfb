using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Gateways;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Security;

namespace Portal.Domain.Recurring;

/// <summary>
/// Finance's commands on recurring schedules: create from a successful transaction that carries a
/// card token, pause, resume, cancel, change the amount, charge the next cycle now. Every command
/// checks the caller's roles here (Finance only; a refused attempt is audited), validates its
/// input with a message per field, changes the schedule through its verb methods and writes the
/// audit entry in the same database transaction.
/// Commands that make or enable charges (create, resume, change amount, charge now) also ask the
/// <see cref="IMoneyMovementGuard"/> (a person needs a second factor); pause and cancel only stop
/// money and never ask it.
/// </summary>
public sealed class RecurringScheduleService(
    IDbContextFactory<DbContext> dbFactory,
    IPaymentGateway gateway,
    RecurringChargeRunner runner,
    AuditTrail audit,
    TimeProvider clock,
    IMoneyMovementGuard moneyMovement,
    ILogger<RecurringScheduleService> logger)
{
    /// <summary>Largest amount per cycle accepted, in minor units (a typo guard, not a business limit).</summary>
    public const long MaxAmountMinor = 100_000_000_00;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Checks a create command without touching the database: one message per bad field (keys are
    /// the command's property names). Empty when the input is well-formed; <see cref="CreateAsync"/>
    /// also checks the transaction itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> Validate(CreateRecurringSchedule c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var errors = new Dictionary<string, string>();
        var today = DateOnly.FromDateTime(Now);
        if (string.IsNullOrWhiteSpace(c.PaymentId)) errors[nameof(c.PaymentId)] = "Say which payment the card comes from.";
        if (string.IsNullOrWhiteSpace(c.TransactionId)) errors[nameof(c.TransactionId)] = "Choose the successful transaction whose card is charged.";
        if (c.AmountMinor <= 0) errors[nameof(c.AmountMinor)] = "The amount must be more than 0.";
        else if (c.AmountMinor > MaxAmountMinor) errors[nameof(c.AmountMinor)] = $"The amount must be at most {MaxAmountMinor} minor units.";
        if (!Money.Currency.TryParse(c.Currency, out _)) errors[nameof(c.Currency)] = $"'{c.Currency}' is not a known ISO 4217 currency.";
        if (string.IsNullOrWhiteSpace(c.Description)) errors[nameof(c.Description)] = "Write a description (the customer sees it on the statement).";
        else if (c.Description.Trim().Length > RecurringSchedule.MaxDescriptionLength)
            errors[nameof(c.Description)] = $"The description must be at most {RecurringSchedule.MaxDescriptionLength} characters.";
        if (!Enum.IsDefined(c.IntervalUnit)) errors[nameof(c.IntervalUnit)] = "Choose days, weeks, months or years.";
        else
        {
            var max = MaxIntervalCount(c.IntervalUnit);
            if (c.IntervalCount < 1 || c.IntervalCount > max)
                errors[nameof(c.IntervalCount)] = $"The interval must be every 1 to {max} {c.IntervalUnit.ToString().ToLowerInvariant()}s.";
        }
        if (c.StartDate < today.AddDays(-1)) errors[nameof(c.StartDate)] = "The start date cannot be in the past.";
        else if (c.StartDate > today.AddYears(5)) errors[nameof(c.StartDate)] = "The start date must be within five years.";
        switch (c.EndKind)
        {
            case RecurringEndKind.Never:
                break;
            case RecurringEndKind.OnDate:
                if (c.EndDate is not { } end) errors[nameof(c.EndDate)] = "Choose the end date.";
                else if (end < c.StartDate) errors[nameof(c.EndDate)] = "The end date must be on or after the start date.";
                break;
            case RecurringEndKind.AfterCycles:
                if (c.MaxCycles is not { } n || n < 1 || n > RecurringSchedule.MaxCycles)
                    errors[nameof(c.MaxCycles)] = $"The number of cycles must be 1 to {RecurringSchedule.MaxCycles}.";
                break;
            default:
                errors[nameof(c.EndKind)] = "Choose how the schedule ends: never, on a date, or after a number of cycles.";
                break;
        }
        if (c.IdempotencyKey is { } key && (key.Length is < 8 or > 100 || !key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or ':')))
            errors[nameof(c.IdempotencyKey)] = "The idempotency key must be 8 to 100 characters of letters, digits, '-', '_', '.' or ':'.";
        return errors;
    }

    /// <summary>Largest N of "every N units" for each unit.</summary>
    public static int MaxIntervalCount(RecurringIntervalUnit unit) => unit switch
    {
        RecurringIntervalUnit.Day => 365,
        RecurringIntervalUnit.Week => 52,
        RecurringIntervalUnit.Month => 24,
        _ => 10,
    };

    /// <summary>Creates an active schedule from a successful transaction carrying a card token.</summary>
    /// <exception cref="RecurringScheduleException">Forbidden, SecondFactorRequired, NotFound (payment/transaction), Invalid (with <see cref="RecurringScheduleException.Errors"/>).</exception>
    public async Task<RecurringScheduleView> CreateAsync(CreateRecurringSchedule command, RecurringUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await EnsureWriterAsync(user, "create a recurring schedule", command.PaymentId, movesMoney: true, cancellationToken);
        var errors = new Dictionary<string, string>(Validate(command));
        if (errors.Count > 0) throw Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = command.IdempotencyKey?.Trim();
        if (key is not null && await db.Set<RecurringSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.CreateKey == key, cancellationToken) is { } earlier)
            return RecurringScheduleView.From(earlier);

        var t = await db.Set<PaymentTransaction>().AsNoTracking()
            .Where(x => x.Id == command.TransactionId && x.PaymentId == command.PaymentId)
            .Select(x => new
            {
                x.Id, x.PaymentId, x.Status, x.Currency, x.GatewayId, x.CardTokenProtected, x.Card, x.HolderEmail, x.HolderName,
                Email = x.Payment!.Customer.Email, Name = x.Payment.CustomerName,
            })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecurringScheduleException(RecurringRefusal.NotFound,
                $"Payment {command.PaymentId} has no transaction {command.TransactionId}.");
        var currency = Money.Currency.Parse(command.Currency);
        if (t.Status is not (TransactionStatus.Paid or TransactionStatus.Confirmed or TransactionStatus.RefundedPartially or TransactionStatus.Refunded))
            errors[nameof(command.TransactionId)] = $"Transaction {t.Id} is {t.Status}; a schedule needs a successful transaction.";
        else if (t.CardTokenProtected is null)
            errors[nameof(command.TransactionId)] = $"Transaction {t.Id} carries no stored card token; choose a card payment that kept its token.";
        else if (!string.Equals(t.GatewayId, gateway.Name, StringComparison.OrdinalIgnoreCase))
            errors[nameof(command.TransactionId)] = $"Transaction {t.Id} went through {t.GatewayId ?? "an unknown gateway"}; recurring charges go through {gateway.Name} only.";
        if (t.Currency != currency)
            errors[nameof(command.Currency)] = $"The card was charged in {t.Currency.Code}; a schedule on it charges {t.Currency.Code} too.";
        if (errors.Count > 0) throw Invalid(errors);

        var draft = new RecurringScheduleDraft(t.PaymentId, t.Id, t.GatewayId!.ToLowerInvariant(), t.CardTokenProtected!, t.Card?.Brand, t.Card?.Last4,
            t.HolderEmail ?? t.Email, t.HolderName ?? t.Name, command.AmountMinor, currency, command.Description.Trim(), command.IntervalUnit,
            command.IntervalCount, command.StartDate, command.EndKind, command.EndDate, command.MaxCycles, key, user.Actor.Id, user.Actor.Name);
        var schedule = new RecurringSchedule(draft, Now, clock);
        db.Add(schedule);
        audit.Record(db, user.Actor, RecurringAuditActions.Created, RecurringAuditActions.ResourceType, schedule.Id, t.PaymentId,
            after: Snapshot(schedule), amountAfter: schedule.AmountMinor, currency: currency.Code,
            details: $"Schedule of {schedule.Amount} {RecurringCalendar.Describe(schedule.IntervalUnit, schedule.IntervalCount)} from {schedule.StartDate:yyyy-MM-dd} on {schedule.CardBrand} •••• {schedule.CardLast4} (transaction {t.Id}).");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (key is not null)
        {
            await using var again = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var winner = await again.Set<RecurringSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.CreateKey == key, CancellationToken.None);
            if (winner is null) throw;
            return RecurringScheduleView.From(winner);
        }
        logger.LogInformation("Recurring schedule {ScheduleId} created by {ActorId} from transaction {TransactionId}: {Amount} {Currency} {Interval}",
            schedule.Id, user.Actor.Id, t.Id, schedule.AmountMinor, currency.Code, RecurringCalendar.Describe(schedule.IntervalUnit, schedule.IntervalCount));
        return RecurringScheduleView.From(schedule);
    }

    /// <summary>Pauses collection (Active → Paused); cycles falling due while paused are skipped.</summary>
    /// <remarks>
    /// Never asks the second-factor guard: pausing stops money, and someone who has not set up an
    /// authenticator app yet must still be able to stop a wrong schedule at once.
    /// </remarks>
    public Task<RecurringScheduleView> PauseAsync(string scheduleId, RecurringUser user, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, user, "pause a recurring schedule", movesMoney: false, RecurringAuditActions.Paused, (s, now) =>
        {
            s.Pause(now, user.Actor.Name);
            return "Collection paused.";
        }, cancellationToken);

    /// <summary>Resumes a Paused, NeedsAttention or PastDue schedule; the next cycle is the first one due today or later.</summary>
    public Task<RecurringScheduleView> ResumeAsync(string scheduleId, RecurringUser user, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, user, "resume a recurring schedule", movesMoney: true, RecurringAuditActions.Resumed, (s, now) =>
        {
            s.Resume(now, user.Actor.Name);
            return s.NextChargeAtUtc is { } next
                ? $"Collection resumed; next charge cycle {s.NextCycleNumber} on {next:yyyy-MM-dd}."
                : "Collection resumed; no cycle is left, so the schedule is completed.";
        }, cancellationToken, also: (db, s, now, ct) => CloseSkippedRetriesAsync(db, s, now, "Not retried: collection was paused past this cycle.", ct));

    /// <summary>Cancels the schedule (final). A charge whose outcome is still unknown is still resolved.</summary>
    /// <remarks>Never asks the second-factor guard: cancelling stops money and must never be blocked by it (as pausing).</remarks>
    public Task<RecurringScheduleView> CancelAsync(string scheduleId, string? reason, RecurringUser user, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, user, "cancel a recurring schedule", movesMoney: false, RecurringAuditActions.Cancelled, (s, now) =>
        {
            var why = string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason.Trim();
            if (why.Length > 500) why = why[..500];
            s.Cancel(now, $"Cancelled by {user.Actor.Name}{why}");
            return "Schedule cancelled" + why + ".";
        }, cancellationToken, also: (db, s, now, ct) => CloseSkippedRetriesAsync(db, s, now, "Not retried: the schedule was cancelled.", ct));

    /// <summary>Changes the amount from the next cycle on (a cycle already attempted keeps its amount); audited with before/after.</summary>
    public async Task<RecurringScheduleView> ChangeAmountAsync(string scheduleId, long newAmountMinor, RecurringUser user, CancellationToken cancellationToken = default)
    {
        await EnsureWriterAsync(user, "change a recurring schedule's amount", scheduleId, movesMoney: true, cancellationToken);
        if (newAmountMinor <= 0 || newAmountMinor > MaxAmountMinor)
            throw Invalid(new Dictionary<string, string>
            {
                ["AmountMinor"] = newAmountMinor <= 0 ? "The amount must be more than 0." : $"The amount must be at most {MaxAmountMinor} minor units.",
            });
        long before = 0;
        return await ChangeAsync(scheduleId, user, null, movesMoney: true, RecurringAuditActions.AmountChanged, (s, now) =>
        {
            before = s.AmountMinor;
            if (before == newAmountMinor)
                throw new RecurringScheduleException(RecurringRefusal.Invalid, "The amount is already " + s.Amount + ".",
                    new Dictionary<string, string> { ["AmountMinor"] = "The new amount is the same as the current one." });
            s.ChangeAmount(newAmountMinor, now);
            return $"Amount changed from {new Money.Money(before, s.Currency)} to {s.Amount}, from cycle {s.NextCycleNumber} on.";
        }, cancellationToken, amounts: s => (before, s.AmountMinor));
    }

    /// <summary>
    /// Charges the next cycle (or the pending retry) now instead of on its date, and returns what
    /// the gateway said. The charge goes through the runner, with the same claim, key and
    /// record-before-call rules as a scheduled one.
    /// </summary>
    public async Task<RecurringChargeOutcome> ChargeNextNowAsync(string scheduleId, RecurringUser user, CancellationToken cancellationToken = default)
    {
        await ChangeAsync(scheduleId, user, "charge a recurring schedule", movesMoney: true, RecurringAuditActions.ChargeNow, (s, now) =>
        {
            s.BringForward(now);
            return $"Cycle {s.NextCycleNumber} brought forward to now by {user.Actor.Name}.";
        }, cancellationToken);
        return await runner.ChargeScheduleNowAsync(scheduleId, cancellationToken)
               ?? throw new RecurringScheduleException(RecurringRefusal.Conflict,
                   $"Schedule {scheduleId} is being charged by the recurring job right now; look at its cycles in a moment.");
    }

    private async Task<RecurringScheduleView> ChangeAsync(string scheduleId, RecurringUser user, string? what, bool movesMoney, string action,
        Func<RecurringSchedule, DateTime, string> change, CancellationToken cancellationToken,
        Func<RecurringSchedule, (long Before, long After)>? amounts = null,
        Func<DbContext, RecurringSchedule, DateTime, CancellationToken, Task>? also = null)
    {
        if (what is not null) await EnsureWriterAsync(user, what, scheduleId, movesMoney, cancellationToken);
        if (string.IsNullOrWhiteSpace(scheduleId))
            throw new RecurringScheduleException(RecurringRefusal.NotFound, "Say which schedule.");
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var s = await db.Set<RecurringSchedule>().SingleOrDefaultAsync(x => x.Id == scheduleId, cancellationToken)
                    ?? throw new RecurringScheduleException(RecurringRefusal.NotFound, $"There is no recurring schedule {scheduleId}.");
            var before = Snapshot(s);
            var now = Now;
            var details = change(s, now);
            if (also is not null) await also(db, s, now, cancellationToken);
            var amount = amounts?.Invoke(s);
            audit.Record(db, user.Actor, action, RecurringAuditActions.ResourceType, s.Id, s.SourcePaymentId, before: before, after: Snapshot(s),
                amountBefore: amount?.Before, amountAfter: amount?.After, currency: s.Currency.Code, details: details);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Recurring schedule {ScheduleId}: {Action} by {ActorId}", s.Id, action, user.Actor.Id);
                return RecurringScheduleView.From(s);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // The runner (or another person) changed it meanwhile: read it again and re-check the rules.
            }
        }
    }

    /// <summary>A cycle waiting for a dunning retry that the schedule will no longer make (cancelled, or resumed past it) is closed as Failed; one still ahead keeps its retry day.</summary>
    private static async Task CloseSkippedRetriesAsync(DbContext db, RecurringSchedule s, DateTime now, string reason, CancellationToken cancellationToken)
    {
        var waiting = await db.Set<RecurringCycle>()
            .Where(c => c.ScheduleId == s.Id && c.Status == RecurringCycleStatus.RetryScheduled)
            .ToListAsync(cancellationToken);
        foreach (var cycle in waiting)
        {
            if (s.IsFinal || cycle.Number < s.NextCycleNumber)
                cycle.Failed(null, reason, cycle.GatewayCode, now);
            else if (cycle.Number == s.NextCycleNumber && cycle.NextAttemptAtUtc is { } retryAt)
                s.VerifyLater(retryAt > now ? retryAt : now, now); // resumed before the retry's day: the retry keeps its day
        }
    }

    /// <summary>
    /// Finance only; and when the command makes or enables charges (<paramref name="movesMoney"/>),
    /// the money-movement guard must let the actor through too (a person needs a second factor; a
    /// job passes). Either refusal is audited and nothing else is written.
    /// </summary>
    private async Task EnsureWriterAsync(RecurringUser user, string what, string? resourceId, bool movesMoney, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.CanWrite)
        {
            await RecordRefusalAsync(user, resourceId, $"Refused: {user.Actor.Name} tried to {what} without the Finance role.", cancellationToken);
            logger.LogWarning("Recurring: {ActorId} refused to {What} (not Finance)", user.Actor.Id, what);
            throw new RecurringScheduleException(RecurringRefusal.Forbidden, $"Only finance can {what}.");
        }
        if (!movesMoney) return;
        if (await moneyMovement.CheckAsync(user.Actor, cancellationToken) is not { } refusal) return;
        await RecordRefusalAsync(user, resourceId, $"Refused: {user.Actor.Name} tried to {what} without a second factor: {refusal.Message}", cancellationToken);
        logger.LogWarning("Recurring: {ActorId} refused to {What} (no second factor)", user.Actor.Id, what);
        throw new RecurringScheduleException(RecurringRefusal.SecondFactorRequired, refusal.Message) { SetupPath = refusal.SetupPath };
    }

    private async Task RecordRefusalAsync(RecurringUser user, string? resourceId, string details, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        audit.Record(db, user.Actor, RecurringAuditActions.Refused, RecurringAuditActions.ResourceType, resourceId ?? "-", details: details);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static RecurringScheduleException Invalid(IReadOnlyDictionary<string, string> errors) =>
        new(RecurringRefusal.Invalid, string.Join(" ", errors.Values), errors);

    internal static object Snapshot(RecurringSchedule s) => new
    {
        Status = s.Status.ToString(),
        s.AmountMinor,
        Currency = s.Currency.Code,
        s.Description,
        Interval = RecurringCalendar.Describe(s.IntervalUnit, s.IntervalCount),
        StartDate = s.StartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        EndKind = s.EndKind.ToString(),
        EndDate = s.EndDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        MaxCycles = s.MaxCycleCount,
        s.NextCycleNumber,
        s.NextChargeAtUtc,
    };
}
