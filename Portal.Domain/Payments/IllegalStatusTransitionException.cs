namespace Portal.Domain.Payments;

/// <summary>A status change the transition table does not allow, asked for by a command (not a gateway report).</summary>
public sealed class IllegalStatusTransitionException(string subject, string subjectId, string from, string to)
    : DomainException($"The {subject} {subjectId} cannot move from {from} to {to}.")
{
    public string Subject { get; } = subject;

    public string SubjectId { get; } = subjectId;

    public string From { get; } = from;

    public string To { get; } = to;
}
