using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Polling;

namespace Portal.Tests.Polling;

/// <summary>
/// A hand-written Voucherly: answers each read with the report the test put there last, and can
/// run something between taking that answer and handing it back (a read that is "on the wire"
/// while the portal changes), so races are driven step by step without sleeps.
/// </summary>
internal sealed class FakeVoucherly : IVoucherlyPayments
{
    private readonly Dictionary<string, VoucherlyPaymentReport> _payments = new(StringComparer.Ordinal);

    /// <summary>Ids in the order they were read.</summary>
    public List<string> Reads { get; } = [];

    /// <summary>Runs after the answer was taken and before it is returned; cleared after it ran once.</summary>
    public Func<string, Task>? WhileAnswering { get; set; }

    public void Put(VoucherlyPaymentReport report)
    {
        lock (_payments) _payments[report.VoucherlyPaymentId] = report;
    }

    /// <summary>Voucherly no longer has the payment (a read answers NotFound).</summary>
    public void Forget(string voucherlyPaymentId)
    {
        lock (_payments) _payments.Remove(voucherlyPaymentId);
    }

    public async Task<VoucherlyLookup> GetAsync(string voucherlyPaymentId, CancellationToken cancellationToken)
    {
        VoucherlyPaymentReport? report;
        lock (_payments)
        {
            Reads.Add(voucherlyPaymentId);
            _payments.TryGetValue(voucherlyPaymentId, out report);
        }
        if (WhileAnswering is { } during)
        {
            WhileAnswering = null;
            await during(voucherlyPaymentId);
        }
        return report is null ? new VoucherlyLookup.NotFound("no such payment") : new VoucherlyLookup.Found(report);
    }

    /// <summary>
    /// A Voucherly payment of one line and one card transaction of <paramref name="amount"/> (EUR),
    /// confirmed for <paramref name="confirmed"/> with <paramref name="refunded"/> given back; the
    /// statuses follow the amounts the way Voucherly's do.
    /// </summary>
    public static VoucherlyPaymentReport Payment(string id, string transactionId, DateTime observedAtUtc, long amount = 10_000,
        long confirmed = 10_000, long refunded = 0, TransactionStatus? transactionStatus = null, PaymentStatus? paymentStatus = null)
    {
        var tStatus = transactionStatus ?? (confirmed == 0 ? TransactionStatus.Requested
            : refunded == 0 ? TransactionStatus.Confirmed
            : refunded == confirmed ? TransactionStatus.Refunded
            : TransactionStatus.RefundedPartially);
        var pStatus = paymentStatus ?? tStatus switch
        {
            TransactionStatus.Requested => PaymentStatus.Requested,
            TransactionStatus.Refunded => PaymentStatus.Refunded,
            _ => PaymentStatus.Confirmed,
        };
        return new VoucherlyPaymentReport
        {
            VoucherlyPaymentId = id,
            Tenant = PaymentTenant.Live,
            Currency = Currency.EUR,
            Status = pStatus,
            Lines = [new NewPaymentLine { UnitAmount = amount, ProductName = "Order" }],
            Transactions =
            [
                new NewTransaction
                {
                    Id = transactionId,
                    CreatedAtUtc = observedAtUtc,
                    Gateway = new GatewayRef("pg_card", "Visa"),
                    Status = tStatus,
                    RequestedAmount = amount,
                    ProcessedAmount = confirmed == 0 ? 0 : amount,
                    ConfirmedAmount = confirmed,
                    RefundedAmount = refunded,
                },
            ],
            ObservedAtUtc = observedAtUtc,
        };
    }
}
