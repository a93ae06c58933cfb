namespace Portal.Domain;

/// <summary>
/// A business rule refused an operation. Pages and endpoints catch this one type to show the
/// message to a person (or answer 4xx) instead of a 500: its message is written for humans.
/// </summary>
public class DomainException : Exception
{
    public DomainException(string message) : base(message) { }

    public DomainException(string message, Exception inner) : base(message, inner) { }
}
