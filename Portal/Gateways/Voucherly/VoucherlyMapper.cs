using System.Globalization;
using Portal.Domain;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;

namespace Portal.Gateways.Voucherly;

/// <summary>
/// Voucherly's Payment object (<see cref="VoucherlyPayment"/>) → the model's
/// <see cref="VoucherlyPaymentReport"/>. The only code that knows the DTO's fields.
/// <list type="bullet">
/// <item>Wire names are the spec's: tenant <c>sand</c>/<c>live</c>, mode, payment and transaction
/// statuses and error codes by their names (any letter case), <c>paymentAction</c>/<c>request.action</c>
/// and discount types through <see cref="CheckoutActions"/> and <see cref="DiscountTypes"/>, gateway
/// type 0, 1 or 2. Anything else is a <see cref="DomainException"/> naming the payment, the field
/// and the value; so is a missing id, tenant or status, a transaction without an id or status, and
/// a line without a unit amount. Mode defaults to <c>Payment</c>.</item>
/// <item>Card numbers and IBANs go through <see cref="CardDetails.Create"/> and
/// <see cref="DirectDebitDetails.Create"/>, which re-mask whatever arrives (first six / last four;
/// country, check digits and last four). A <c>creditCard</c> without a PAN is left out: the model
/// keeps a card only with at least its last four digits.</item>
/// <item>Metadata is checked against its limits (10 keys, 40/400 characters); a null value becomes "".</item>
/// <item>The payment's currency is its transactions' currency (the object has no currency of its
/// own), or <paramref name="defaultCurrency"/> while it has no transaction.</item>
/// <item>Missing amounts are 0; a missing quantity is 1; a missing discount index is the discount's position.</item>
/// <item>Text is trimmed and blank text is null, as the model stores it, so the same answer read
/// twice compares equal and changes nothing.</item>
/// </list>
/// </summary>
public static class VoucherlyMapper
{
    public static VoucherlyPaymentReport ToReport(VoucherlyPayment p, Currency defaultCurrency, DateTime observedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(p);
        var id = Clean(p.Id) ?? throw new DomainException("A Voucherly payment without an id cannot be synced.");
        try
        {
            var transactions = p.Transactions ?? [];
            var currencyCode = transactions.Select(t => Clean(t.Currency)).FirstOrDefault(c => c is not null);
            return new VoucherlyPaymentReport
            {
                VoucherlyPaymentId = id,
                Tenant = Tenant(p.Tenant),
                Mode = p.Mode is null ? PaymentMode.Payment : ParseName<PaymentMode>(p.Mode, "mode"),
                ReferenceId = Clean(p.ReferenceId),
                ParentPaymentId = Clean(p.ParentPaymentId),
                CompanyId = Clean(p.CompanyId),
                Customer = PaymentCustomer.Create(Clean(p.CustomerId), Clean(p.CustomerEmail), Clean(p.CustomerFirstName),
                    Clean(p.CustomerLastName), Clean(p.CustomerPhoneNumber), Clean(p.CustomerPaymentMethodId)),
                SelectedGatewayId = Clean(p.SelectedPaymentGatewayId),
                CheckoutUrl = Clean(p.CheckoutUrl),
                CloseCheckout = Event(p.CloseCheckout),
                Callback = Event(p.Callback),
                Currency = currencyCode is null ? defaultCurrency : Currency.Parse(currencyCode),
                Status = ParseName<PaymentStatus>(p.Status ?? throw new DomainException("The status is missing."), "status"),
                Metadata = PaymentMetadata.From(p.Metadata?.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value ?? ""))),
                Lines = (p.Lines ?? []).Select((line, i) => Line(line, i)).ToList(),
                Discounts = (p.Discounts ?? []).Select(Discount).ToList(),
                Transactions = transactions.Select((t, i) => Transaction(t, i, observedAtUtc)).ToList(),
                Totals = new ReportedTotals(p.TotalAmount, p.DiscountAmount, p.FinalAmount, p.PaidAmount, p.PaidVoucherAmount, p.Amount),
                ObservedAtUtc = observedAtUtc,
            };
        }
        catch (DomainException ex)
        {
            throw new DomainException($"Voucherly payment {id}: {ex.Message}", ex);
        }
    }

    private static PaymentTenant Tenant(string? value) => Clean(value)?.ToLowerInvariant() switch
    {
        "sand" => PaymentTenant.Sand,
        "live" => PaymentTenant.Live,
        null => throw new DomainException("The tenant is missing: expected sand or live."),
        _ => throw new DomainException($"Unknown tenant '{value}': expected sand or live."),
    };

    private static NewTransaction Transaction(VoucherlyTransaction t, int position, DateTime observedAtUtc)
    {
        var id = Clean(t.Id) ?? throw new DomainException($"Transaction #{position + 1} has no id, so it could not be matched on the next read.");
        try
        {
            return new NewTransaction
            {
                Id = id,
                CreatedAtUtc = observedAtUtc,
                Gateway = Gateway(t),
                Status = ParseName<TransactionStatus>(t.Status ?? throw new DomainException("The status is missing."), "status"),
                Currency = Clean(t.Currency) is { } code ? Currency.Parse(code) : null,
                RequestedAmount = t.RequestedAmount ?? 0,
                ProcessedAmount = t.Amount ?? 0,
                VoucherAmount = t.VoucherAmount ?? 0,
                NoOfVouchers = t.NoOfVouchers ?? 0,
                ConfirmedAmount = t.ConfirmedAmount ?? 0,
                RefundedAmount = t.RefundedAmount ?? 0,
                ExternalId1 = Clean(t.ExternalId1),
                ExternalId2 = Clean(t.ExternalId2),
                ExternalId3 = Clean(t.ExternalId3),
                IsWallet = t.IsWallet ?? false,
                Card = Card(t.CreditCard),
                DirectDebit = Clean(t.DirectDebit?.AccountIban) is { } iban
                    ? DirectDebitDetails.Create(iban, Clean(t.DirectDebit!.AccountId), Clean(t.DirectDebit.AccountBic))
                    : null,
                HolderName = Clean(t.HolderName),
                HolderEmail = Clean(t.HolderEmail),
                Error = Error(t.Error),
                NextAction = NextAction(t.Request),
            };
        }
        catch (DomainException ex)
        {
            throw new DomainException($"transaction {id}: {ex.Message}", ex);
        }
    }

    private static GatewayRef Gateway(VoucherlyTransaction t)
    {
        var g = t.PaymentGateway;
        if (g?.Type is { } type && type is < 0 or > 2)
            throw new DomainException($"Unknown paymentGateway.type {type}: expected 0, 1 or 2.");
        return new GatewayRef(
            Clean(g?.Id) ?? Clean(t.PaymentGatewayId),
            Clean(g?.Name),
            g?.Type,
            Clean(g?.PaymentAction) is { } action ? CheckoutActions.Parse(action) : null,
            Clean(g?.Image),
            Clean(g?.Icon));
    }

    /// <summary>Month and year, or else the spec's <c>expiration</c> (MM/YY or MM/YYYY).</summary>
    private static CardDetails? Card(VoucherlyCreditCard? c)
    {
        if (c is null || Clean(c.Pan) is not { } pan) return null;
        int? month = c.ExpirationMonth, year = c.ExpirationYear;
        if ((month is null || year is null) && Clean(c.Expiration) is { } expiration)
        {
            var parts = expiration.Split('/');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y))
                throw new DomainException($"Unreadable card expiration '{expiration}': expected MM/YY.");
            month ??= m;
            year ??= y;
        }
        return CardDetails.Create(pan, brand: Clean(c.Brand), expirationMonth: month, expirationYear: year, product: Clean(c.Product));
    }

    private static TransactionError? Error(VoucherlyError? e)
    {
        if (e is null) return null;
        var message = Clean(e.ExternalError?.Message);
        var code = Clean(e.ExternalError?.Code);
        if (Clean(e.Code) is not { } errorCode)
            return message is null && code is null ? null : TransactionError.Create(TransactionErrorCode.Generic, message, code);
        return TransactionError.Create(ParseName<TransactionErrorCode>(errorCode, "error code"), message, code);
    }

    /// <summary>A request without an action but with a URL is a redirect (the only action that has one).</summary>
    private static NextActionRequest? NextAction(VoucherlyNextAction? r)
    {
        if (r is null) return null;
        var url = Clean(r.Url);
        var externalId = Clean(r.ExternalTransactionId);
        if (Clean(r.Action) is { } action) return NextActionRequest.Create(CheckoutActions.Parse(action), externalId, url);
        return url is null ? null : NextActionRequest.Create(CheckoutAction.Redirect, externalId, url);
    }

    private static NewPaymentLine Line(VoucherlyLine l, int position) => new()
    {
        Quantity = l.Quantity ?? 1,
        UnitAmount = l.UnitAmount ?? throw new DomainException($"Line #{position + 1} has no unitAmount."),
        UnitDiscountAmount = l.UnitDiscountAmount ?? 0,
        DiscountAmount = l.DiscountAmount ?? 0,
        ProductId = Clean(l.ProductId),
        ProductName = Clean(l.ProductName),
        ProductVariant = Clean(l.ProductVariant),
        ProductImage = Clean(l.ProductImage),
        ProductExternalId1 = Clean(l.ProductExternalId1),
        ProductExternalId2 = Clean(l.ProductExternalId2),
        TaxRate = l.TaxRate,
        IsFood = l.IsFood ?? false,
        IsGift = l.IsGift ?? false,
    };

    private static NewPaymentDiscount Discount(VoucherlyDiscount d, int position) => new()
    {
        Name = Clean(d.DiscountName),
        Description = Clean(d.DiscountDescription),
        Amount = d.Amount,
        Type = Clean(d.Type) is { } type ? DiscountTypes.Parse(type) : null,
        Value = d.Value,
        Index = d.Index ?? position,
    };

    private static VoucherlyEventReport? Event(VoucherlyOutcome? o) =>
        o?.Date is { } date ? new VoucherlyEventReport(o.Success ?? false, date.UtcDateTime) : null;

    /// <summary>An enum by its exact name in any letter case; numbers, which <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take, are refused.</summary>
    private static TEnum ParseName<TEnum>(string value, string field) where TEnum : struct, Enum
    {
        var trimmed = value.Trim();
        foreach (var name in Enum.GetNames<TEnum>())
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
                return Enum.Parse<TEnum>(name);
        }
        throw new DomainException($"Unknown {field} '{value}': expected {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
