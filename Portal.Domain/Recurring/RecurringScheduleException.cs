namespace Portal.Domain.Recurring;

/// <summary>Why a recurring-schedule command was refused (maps to 403 / 404 / 409 / 422; SecondFactorRequired is a 403 too).</summary>
public enum RecurringRefusal
{
    /// <summary>The caller's roles do not allow it (only Finance writes).</summary>
    Forbidden,
    NotFound,
    /// <summary>The schedule's state does not allow it (e.g. resuming a cancelled schedule).</summary>
    Conflict,
    /// <summary>Bad input; <see cref="RecurringScheduleException.Errors"/> says which field and why.</summary>
    Invalid,
    /// <summary>
    /// The caller may write but has no second factor (authenticator app) yet, and the command makes
    /// or enables charges; <see cref="RecurringScheduleException.SetupPath"/> says where to set it up.
    /// </summary>
    SecondFactorRequired,
}

/// <summary>
/// A recurring-schedule command was refused. The message is written for a person; for
/// <see cref="RecurringRefusal.Invalid"/>, <see cref="Errors"/> holds one message per bad field
/// (keys are the command's property names, e.g. <c>AmountMinor</c>, <c>EndDate</c>), for a form.
/// </summary>
public sealed class RecurringScheduleException : DomainException
{
    public RecurringScheduleException(RecurringRefusal refusal, string message,
        IReadOnlyDictionary<string, string>? errors = null) : base(message)
    {
        Refusal = refusal;
        Errors = errors ?? new Dictionary<string, string>();
    }

    public RecurringRefusal Refusal { get; }

    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>For <see cref="RecurringRefusal.SecondFactorRequired"/>: the page where the caller sets up the second factor.</summary>
    public string? SetupPath { get; init; }
}
