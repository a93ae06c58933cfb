using Microsoft.EntityFrameworkCore;
using Portal.Domain.Payments;
using Portal.Domain.Polling;
using Portal.Gateways.Voucherly;
using Portal.Persistence;

namespace Portal.Sandbox.Voucherly;

/// <summary>
/// The Voucherly sandbox keeps its payments in memory, seeded with a handful of test payments, so
/// it would not know the Voucherly payments the portal has on record (the demo data, payments
/// imported before a restart): every sync read of them would be "not found" and every refund a
/// 404, which the refund service takes as a hard decline. A real Voucherly remembers; this is the
/// sandbox's memory. When <c>GET /payments/{id}</c> or <c>POST /payments/{id}/refund</c> asks for
/// an id the store does not hold (the test ids <see cref="VoucherlySandboxSeed.ServerError"/>,
/// <see cref="VoucherlySandboxSeed.MalformedJson"/> and <see cref="VoucherlySandboxSeed.Timeout"/>
/// excepted), it looks up the portal payment Voucherly knows by that id (the sync's link
/// <see cref="VoucherlySyncState.VoucherlyPaymentId"/>, else a Voucherly-source payment with that
/// id), turns it back into Voucherly's Payment object (<see cref="ToVoucherly"/>, the reverse of
/// <see cref="VoucherlyMapper"/>) and adds it to the store, which answers as usual from then on
/// (a refund changes it there). Ids the portal does not have stay unknown (404); nothing is
/// ever written to the portal's database.
/// <para>
/// The reverse mapping is built so the sync reading it back finds exactly what the portal has
/// (outcome Unchanged). What Voucherly's shape, as the adapter reads it, cannot carry exactly:
/// <list type="bullet">
/// <item><b>IBAN</b>: the portal keeps only a masked IBAN (country, check digits, last four); the
/// adapter re-masks whatever arrives to country and last four, so no value sent back would land
/// as the portal's. <c>directDebit</c> carries the account id and BIC without
/// <c>accountIban</c>; the mapper then reports no direct debit and the portal keeps its own.</item>
/// <item><b>A card known only by its last four</b> (no masked PAN): the mapper keeps a card only
/// with a PAN, and a made-up mask would replace the portal's. <c>creditCard</c> is sent
/// without <c>pan</c> and the portal keeps its own card.</item>
/// <item><b>Totals</b>: the totals the portal recorded as Voucherly's (<c>Reported…</c>), which
/// may disagree with the lines (that flag is kept as it is); a total the portal has no report of
/// is sent as the portal computes it, so the first read records it (no mismatch).</item>
/// <item><b>Currency of a payment without transactions</b>: Voucherly's payment object has no
/// currency of its own; the sync does not compare it.</item>
/// <item>Parts the sync does not read back (creation times, call links, the parent's Voucherly
/// id, which is the portal's parent id here) cannot differ on a read.</item>
/// </list>
/// </para>
/// </summary>
public sealed class VoucherlySandboxMemory(IDbContextFactory<PortalDbContext> dbFactory, VoucherlySandboxStore store)
{
    private static readonly HashSet<string> TestIds = new(StringComparer.Ordinal)
    {
        VoucherlySandboxSeed.ServerError, VoucherlySandboxSeed.MalformedJson, VoucherlySandboxSeed.Timeout,
    };

    /// <summary>Adds the portal's payment known to Voucherly as <paramref name="voucherlyId"/> to the store, unless the store already holds it.</summary>
    public async Task RecallAsync(string voucherlyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(voucherlyId) || TestIds.Contains(voucherlyId) || store.Json(voucherlyId) is not null) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var paymentId = await db.Set<VoucherlySyncState>().AsNoTracking()
                            .Where(s => s.VoucherlyPaymentId == voucherlyId).Select(s => s.PaymentId).FirstOrDefaultAsync(cancellationToken)
                        ?? await db.Set<Payment>().AsNoTracking()
                            .Where(p => p.Id == voucherlyId && p.Source == PaymentSource.Voucherly).Select(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (paymentId is null) return;
        var payment = await db.Set<Payment>().AsNoTracking().WithAggregate().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null) return;
        store.Adopt(ToVoucherly(payment, voucherlyId));
    }

    /// <summary>The portal's payment as Voucherly's Payment object with id <paramref name="voucherlyId"/> (see the class summary).</summary>
    internal static VoucherlyPayment ToVoucherly(Payment p, string voucherlyId) => new()
    {
        Id = voucherlyId,
        Tenant = p.Tenant == PaymentTenant.Sand ? "sand" : "live",
        ReferenceId = p.ReferenceId,
        Mode = p.Mode.ToString(),
        ParentPaymentId = p.ParentPaymentId,
        CompanyId = p.CompanyId,
        CustomerId = p.Customer.Id,
        CustomerEmail = p.Customer.Email,
        CustomerFirstName = p.Customer.FirstName,
        CustomerLastName = p.Customer.LastName,
        CustomerPhoneNumber = p.Customer.PhoneNumber,
        CustomerPaymentMethodId = p.Customer.PaymentMethodId,
        SelectedPaymentGatewayId = p.SelectedGatewayId,
        CheckoutUrl = p.CheckoutUrl,
        CloseCheckout = Outcome(p.CloseCheckout),
        Callback = Outcome(p.Callback),
        TotalAmount = p.ReportedTotalAmount ?? p.TotalAmount,
        DiscountAmount = p.ReportedDiscountAmount ?? p.DiscountAmount,
        FinalAmount = p.ReportedFinalAmount ?? p.FinalAmount,
        PaidAmount = p.ReportedPaidAmount ?? p.PaidAmount,
        PaidVoucherAmount = p.ReportedPaidVoucherAmount ?? p.PaidVoucherAmount,
        Amount = p.ReportedRemainingAmount ?? p.RemainingAmount,
        Status = p.Status.ToString(),
        Metadata = p.Metadata.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal),
        Transactions = p.Transactions.Select(Transaction).ToList(),
        Discounts = p.Discounts.Select(d => new VoucherlyDiscount
        {
            DiscountName = d.Name,
            DiscountDescription = d.Description,
            Amount = d.Amount,
            Type = d.Type is { } type ? DiscountTypes.ToWire(type) : null,
            Value = d.Value,
            Index = d.Index,
        }).ToList(),
        Lines = p.Lines.Select(l => new VoucherlyLine
        {
            Quantity = l.Quantity,
            UnitAmount = l.UnitAmount,
            UnitDiscountAmount = l.UnitDiscountAmount,
            DiscountAmount = l.DiscountAmount,
            FinalAmount = l.FinalAmount,
            ProductId = l.ProductId,
            ProductName = l.ProductName,
            ProductVariant = l.ProductVariant,
            ProductImage = l.ProductImage,
            ProductExternalId1 = l.ProductExternalId1,
            ProductExternalId2 = l.ProductExternalId2,
            TaxRate = l.TaxRate,
            IsFood = l.IsFood,
            IsGift = l.IsGift,
        }).ToList(),
    };

    private static VoucherlyTransaction Transaction(PaymentTransaction t) => new()
    {
        Id = t.Id,
        PaymentGatewayId = t.GatewayId,
        PaymentGateway = t.GatewayId is null && t.GatewayName is null && t.GatewayType is null && t.GatewayPaymentAction is null
                         && t.GatewayImageUrl is null && t.GatewayIconUrl is null
            ? null
            : new VoucherlyPaymentGateway
            {
                Id = t.GatewayId,
                Name = t.GatewayName,
                Type = t.GatewayType,
                PaymentAction = t.GatewayPaymentAction is { } action ? Action(action) : null,
                Image = t.GatewayImageUrl,
                Icon = t.GatewayIconUrl,
            },
        ExternalId1 = t.ExternalId1,
        ExternalId2 = t.ExternalId2,
        ExternalId3 = t.ExternalId3,
        IsWallet = t.IsWallet,
        Error = t.Error is { } e
            ? new VoucherlyError
            {
                Code = e.Code.ToString(),
                ExternalError = e.ExternalMessage is null && e.ExternalCode is null ? null : new() { Message = e.ExternalMessage, Code = e.ExternalCode },
            }
            : null,
        RequestedAmount = t.RequestedAmount,
        Amount = t.ProcessedAmount,
        VoucherAmount = t.VoucherAmount,
        NoOfVouchers = t.NoOfVouchers,
        ConfirmedAmount = t.ConfirmedAmount,
        RefundedAmount = t.RefundedAmount,
        Currency = t.Currency.Code,
        CreditCard = t.Card is { } c
            ? new VoucherlyCreditCard
            {
                Brand = c.Brand,
                // Already masked (first six / last four): the adapter and the model leave it as it is. Null when only the last four are known.
                Pan = c.MaskedPan,
                Expiration = c.Expiration,
                ExpirationMonth = c.ExpirationMonth,
                ExpirationYear = c.ExpirationYear,
                Product = c.Product,
            }
            : null,
        // No accountIban: the portal has only a masked one, which the adapter would re-mask differently (see the class summary).
        DirectDebit = t.DirectDebit is { } d ? new VoucherlyDirectDebit { AccountId = d.AccountId, AccountBic = d.Bic } : null,
        HolderEmail = t.HolderEmail,
        HolderName = t.HolderName,
        Status = t.Status.ToString(),
        Request = t.NextAction is { } n
            ? new VoucherlyNextAction { Action = Action(n.Action), ExternalTransactionId = n.ExternalTransactionId, Url = n.Url }
            : null,
    };

    /// <summary>Voucherly's spelling of a checkout action (what <see cref="CheckoutActions.Parse"/> reads).</summary>
    private static string Action(CheckoutAction action) => action switch
    {
        CheckoutAction.Otp => "OTP",
        CheckoutAction.Redirect => "REDIRECT",
        _ => "DROPIN",
    };

    private static VoucherlyOutcome? Outcome(CheckoutOutcome? outcome) => outcome is null
        ? null
        : new VoucherlyOutcome { Success = outcome.Success, Date = new DateTimeOffset(DateTime.SpecifyKind(outcome.AtUtc, DateTimeKind.Utc)) };
}
