using Portal.Domain.Phone;
using Portal.Gateways.Vcc;

namespace Portal.Phone;

public static class PhoneServiceCollectionExtensions
{
    public static IServiceCollection AddPhonePayments(this IServiceCollection services)
    {
        services.AddTransient<IPhonePaymentSessions, VccPhonePaymentSessions>();
        services.AddTransient<PhonePaymentService>();
        services.AddSingleton<PhoneSessionQueries>();
        return services;
    }
}
