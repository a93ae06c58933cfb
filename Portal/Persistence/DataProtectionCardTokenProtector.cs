using Microsoft.AspNetCore.DataProtection;
using Portal.Domain.Payments;

namespace Portal.Persistence;

/// <summary>Card tokens encrypted at rest with ASP.NET Core Data Protection (keys in the data folder).</summary>
internal sealed class DataProtectionCardTokenProtector(IDataProtectionProvider provider) : ICardTokenProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Portal.CardTokens.v1");

    public string Protect(string token) => _protector.Protect(token);

    public string Unprotect(string protectedToken) => _protector.Unprotect(protectedToken);
}
