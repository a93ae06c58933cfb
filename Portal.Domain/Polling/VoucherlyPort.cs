namespace Portal.Domain.Polling;

/// <summary>
/// The port through which <see cref="VoucherlySync"/> reads Voucherly's payments. The web layer
/// implements it with the HTTP adapter and the mapper, so the domain never sees Voucherly's JSON.
/// </summary>
public interface IVoucherlyPayments
{
    /// <summary>Reads one payment as Voucherly holds it now.</summary>
    /// <exception cref="Money.DomainException">
    /// Voucherly answered, but with something the model cannot take (an unknown status or enum
    /// value, a full card number that cannot be masked, metadata over the limits...). The message
    /// says which field; the sync records it against the payment and moves on.
    /// </exception>
    Task<VoucherlyLookup> GetAsync(string voucherlyPaymentId, CancellationToken cancellationToken);
}

/// <summary>What a read of one Voucherly payment gave.</summary>
public abstract record VoucherlyLookup
{
    private VoucherlyLookup()
    {
    }

    /// <summary>The payment, already mapped onto the model's vocabulary.</summary>
    public sealed record Found(VoucherlyPaymentReport Payment) : VoucherlyLookup;

    /// <summary>Voucherly has no such payment.</summary>
    public sealed record NotFound(string? Message) : VoucherlyLookup;

    /// <summary>No usable answer (timeout, 5xx, malformed body, or a refusal such as a bad API key): ask again next run.</summary>
    public sealed record Unavailable(string Reason) : VoucherlyLookup;
}
