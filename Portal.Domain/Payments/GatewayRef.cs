namespace Portal.Domain.Payments;

/// <summary>The spec's <c>paymentGateway</c> object on a transaction.</summary>
/// <param name="Type">Voucherly's gateway type (0, 1 or 2).</param>
public sealed record GatewayRef(string? Id, string? Name, int? Type = null, CheckoutAction? PaymentAction = null,
    string? ImageUrl = null, string? IconUrl = null)
{
    public static GatewayRef None { get; } = new(null, null);
}
