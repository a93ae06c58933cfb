using Portal.Domain.Phone;

namespace Portal.Gateways.Vcc;

/// <summary>The phone-payment port on the VCC session API.</summary>
internal sealed class VccPhonePaymentSessions(VccClient client) : IPhonePaymentSessions
{
    public async Task<PhoneSessionOpened> OpenAsync(string agentId, string? firstName, string? surname, string? email,
        Domain.Money.Money amount, string merchantReference, CancellationToken cancellationToken)
    {
        var data = VccPaymentData.Create(firstName, surname, email, amount.Minor, amount.Currency.Code, merchantReference);
        return await client.CreateSessionAsync(agentId, data, cancellationToken: cancellationToken) switch
        {
            VccSessionResult.Created created => new PhoneSessionOpened.Created(created.Session.SessionGuid, created.Session.IframeUrl,
                created.Session.ProviderSessionGuid),
            VccSessionResult.Rejected rejected => new PhoneSessionOpened.Refused(rejected.Message),
            VccSessionResult.Unknown unknown => new PhoneSessionOpened.Unknown(unknown.Reason),
            _ => new PhoneSessionOpened.Unknown("unexpected answer"),
        };
    }
}
