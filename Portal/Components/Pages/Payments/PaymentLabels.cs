using Portal.Domain.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>How the pages name things people read (enum names are for machines and URLs).</summary>
public static class PaymentLabels
{
    public static string Source(PaymentSource source) => source switch
    {
        PaymentSource.Vcc => "Contact centre",
        PaymentSource.EComCharge => "eComCharge",
        PaymentSource.CardGateway => "Card gateway",
        _ => source.ToString(),
    };
}
