namespace Portal.Gateways.Voucherly;

/// <summary>What Voucherly answered: the payment, no such payment, a refusal, or a lost answer.</summary>
public abstract record VoucherlyResult
{
    private VoucherlyResult()
    {
    }

    /// <summary>The payment as Voucherly holds it now (IBANs and card numbers already masked).</summary>
    public sealed record Ok(VoucherlyPayment Payment) : VoucherlyResult;

    /// <summary>Voucherly has no such payment (404).</summary>
    public sealed record NotFound(string? Message) : VoucherlyResult;

    /// <summary>Voucherly refused the request (4xx other than 404): nothing changed.</summary>
    public sealed record Rejected(int StatusCode, string Message) : VoucherlyResult;

    /// <summary>The answer was lost (timeout, 5xx, malformed body): read the payment again to learn the outcome.</summary>
    public sealed record Unknown(string Reason) : VoucherlyResult;
}
