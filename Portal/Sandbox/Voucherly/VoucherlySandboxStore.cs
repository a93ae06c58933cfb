using System.Globalization;
using System.Text.Json;
using Portal.Gateways.Voucherly;

namespace Portal.Sandbox.Voucherly;

/// <summary>
/// The payments the Voucherly sandbox serves, in memory, as JSON (so no caller ever shares a
/// mutable object with the store). Seeded with <see cref="VoucherlySandboxSeed"/>; tests add
/// their own with <see cref="Put"/>; payments the portal has on record are added when first asked
/// for (<see cref="VoucherlySandboxMemory"/>). Thread-safe.
/// </summary>
public sealed class VoucherlySandboxStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private int _totalReads;

    public VoucherlySandboxStore()
    {
        foreach (var payment in VoucherlySandboxSeed.Payments())
            Put(payment);
    }

    /// <summary>Adds or replaces a payment (by its id).</summary>
    public void Put(VoucherlyPayment payment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payment.Id);
        var json = JsonSerializer.Serialize(payment, VoucherlyClient.Json);
        lock (_gate)
            _payments[payment.Id] = json;
    }

    /// <summary>
    /// Takes on a payment the store does not hold (see <see cref="VoucherlySandboxMemory"/>); an id
    /// it already holds is left alone, so a recall racing a refund or a <see cref="Put"/> never undoes it.
    /// </summary>
    internal bool Adopt(VoucherlyPayment payment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payment.Id);
        var json = JsonSerializer.Serialize(payment, VoucherlyClient.Json);
        lock (_gate)
            return _payments.TryAdd(payment.Id, json);
    }

    /// <summary>Counts an authenticated <c>GET /payments/{id}</c>, whatever it answers (tests prove a call was or was not made).</summary>
    internal void CountRead(string id)
    {
        lock (_gate)
        {
            _reads[id] = _reads.GetValueOrDefault(id) + 1;
            _totalReads++;
        }
    }

    /// <summary>Authenticated reads of this payment id received so far (retries included).</summary>
    public int ReadCount(string id)
    {
        lock (_gate)
            return _reads.GetValueOrDefault(id);
    }

    /// <summary>Authenticated payment reads received so far, for any id.</summary>
    public int TotalReads
    {
        get
        {
            lock (_gate)
                return _totalReads;
        }
    }

    /// <summary>The payment's JSON as served, or null.</summary>
    public string? Json(string id)
    {
        lock (_gate)
            return _payments.GetValueOrDefault(id);
    }

    /// <summary>
    /// Refunds <paramref name="amount"/> cents of a transaction (the assumed contract, see
    /// <see cref="VoucherlyClient"/>): at most confirmedAmount − refundedAmount; the transaction
    /// becomes RefundedPartially or Refunded, the payment Refunded once everything confirmed is refunded.
    /// </summary>
    internal (string? Json, int Status, string? Error) Refund(string id, string? transactionId, long? amount)
    {
        lock (_gate)
        {
            if (!_payments.TryGetValue(id, out var json))
                return (null, StatusCodes.Status404NotFound, $"Payment {id} not found.");
            var payment = JsonSerializer.Deserialize<VoucherlyPayment>(json, VoucherlyClient.Json)!;
            var transaction = payment.Transactions?.FirstOrDefault(t => t.Id == transactionId);
            if (transaction is null)
                return (null, StatusCodes.Status422UnprocessableEntity, $"transactionId: payment {id} has no transaction '{transactionId}'.");
            if (amount is null or <= 0)
                return (null, StatusCodes.Status422UnprocessableEntity, "amount: must be a positive integer in cents.");
            var confirmed = transaction.ConfirmedAmount ?? 0;
            var refunded = transaction.RefundedAmount ?? 0;
            if (confirmed == 0)
                return (null, StatusCodes.Status422UnprocessableEntity, $"Transaction {transactionId} is {transaction.Status}: nothing confirmed to refund.");
            if (amount > confirmed - refunded)
                return (null, StatusCodes.Status422UnprocessableEntity, string.Create(CultureInfo.InvariantCulture,
                    $"amount: {amount} exceeds the amount left to refund ({confirmed - refunded} of {confirmed})."));

            transaction.RefundedAmount = refunded + amount.Value;
            transaction.Status = transaction.RefundedAmount == confirmed ? "Refunded" : "RefundedPartially";
            var everythingRefunded = payment.Transactions!
                .Where(t => (t.ConfirmedAmount ?? 0) > 0)
                .All(t => t.RefundedAmount == t.ConfirmedAmount);
            if (everythingRefunded)
                payment.Status = "Refunded";
            json = JsonSerializer.Serialize(payment, VoucherlyClient.Json);
            _payments[id] = json;
            return (json, StatusCodes.Status200OK, null);
        }
    }
}
