namespace Portal.Domain.Payments;

/// <summary>
/// Encrypts card tokens before they are stored (the web layer implements it with ASP.NET Core
/// Data Protection). The domain only ever holds the protected form.
/// </summary>
public interface ICardTokenProtector
{
    string Protect(string token);

    string Unprotect(string protectedToken);
}
