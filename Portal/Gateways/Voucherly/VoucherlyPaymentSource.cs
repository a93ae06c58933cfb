using Microsoft.Extensions.Options;
using Portal.Domain.Money;
using Portal.Domain.Polling;
using Portal.Jobs;

namespace Portal.Gateways.Voucherly;

/// <summary>
/// The domain's <see cref="IVoucherlyPayments"/> port: <see cref="VoucherlyClient"/> reads the
/// payment, <see cref="VoucherlyMapper"/> turns it into the model's report. A refused request
/// (4xx other than 404, e.g. a wrong API key) is not about the payment, so it is "unavailable"
/// like a lost answer: nothing changes and the next run asks again.
/// </summary>
public sealed class VoucherlyPaymentSource(
    VoucherlyClient client,
    IOptionsMonitor<VoucherlySyncOptions> options,
    TimeProvider clock) : IVoucherlyPayments
{
    public async Task<VoucherlyLookup> GetAsync(string voucherlyPaymentId, CancellationToken cancellationToken) =>
        await client.GetPaymentAsync(voucherlyPaymentId, cancellationToken) switch
        {
            VoucherlyResult.Ok ok => new VoucherlyLookup.Found(VoucherlyMapper.ToReport(ok.Payment,
                Currency.Parse(options.CurrentValue.DefaultCurrency), clock.GetUtcNow().UtcDateTime)),
            VoucherlyResult.NotFound notFound => new VoucherlyLookup.NotFound(notFound.Message),
            VoucherlyResult.Rejected rejected => new VoucherlyLookup.Unavailable($"Voucherly refused the request (HTTP {rejected.StatusCode}): {rejected.Message}"),
            VoucherlyResult.Unknown unknown => new VoucherlyLookup.Unavailable(unknown.Reason),
            var other => throw new InvalidOperationException($"Unexpected Voucherly result {other.GetType().Name}."),
        };
}
