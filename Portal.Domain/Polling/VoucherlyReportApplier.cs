using Portal.Domain.Payments;

namespace Portal.Domain.Polling;

/// <summary>The last history entry of a payment (TransactionId null) or of one of its transactions.</summary>
internal sealed record LastStatusChange(string? TransactionId, string? FromStatus, string ToStatus, bool Applied);

/// <summary>
/// Puts what Voucherly reported onto the model, only through the model's own methods: a new
/// payment is built with <see cref="Payment.Create"/>, lines, discounts and transactions; a known
/// one gets reported statuses (<c>ApplyReportedStatus</c>, so an illegal move is recorded as
/// refused and not applied), reported amounts, new attempts and reported totals. Nothing is
/// called when nothing differs, so reading the same answer twice changes nothing.
/// <para>
/// <b>Portal refunds in flight own the refund figures.</b> Voucherly reports a transaction's
/// refunded amount as a total, and the portal's refund service ADDS each of its refunds when it
/// settles (<c>RefundSettlement.SucceedAsync</c> → <see cref="PaymentTransaction.RecordRefund"/>).
/// While a transaction has a portal refund that is not settled yet (Pending or
/// PendingVerification, visible as <see cref="PaymentTransaction.RefundReservedAmount"/> &gt; 0),
/// Voucherly's total may or may not already include it, so taking it would count that refund
/// twice once the refund settles. Such a transaction, when Voucherly's amounts or status for it
/// differ from the portal's, is therefore left exactly as the portal has it (amounts, status and
/// details), and so are the payment's reported status and totals, which
/// follow from it; everything else in the report is applied. The sync reads the payment again at
/// its next run (<see cref="DeferredTransactionIds"/>), when the refund has settled and the
/// portal's figures include it, and takes Voucherly's total then, which also brings in any refund
/// made meanwhile in Voucherly's own back office. The refund service itself is unchanged: it
/// always records its own refund exactly once.
/// </para>
/// </summary>
internal sealed class VoucherlyReportApplier(string source, DateTime nowUtc, IReadOnlyCollection<LastStatusChange> history)
{
    private const string ReportedNote = "Reported by Voucherly.";

    /// <summary>Reported moves the transition tables refused (recorded now or already recorded by an earlier read).</summary>
    public int RefusedReports { get; private set; }

    public int AddedTransactions { get; private set; }

    /// <summary>Transactions left as the portal has them because a portal refund of theirs is in flight (see the class summary).</summary>
    public IReadOnlyList<string> DeferredTransactionIds => _deferred;

    private readonly List<string> _deferred = [];

    /// <summary>
    /// The payment as Voucherly describes it. Voucherly gives no creation time: the earliest time
    /// it reports (checkout closed, callback sent) is used, else the time of this read.
    /// </summary>
    public Payment Create(VoucherlyPaymentReport r, string? paymentId)
    {
        var createdAt = new[] { nowUtc, r.CloseCheckout?.AtUtc ?? nowUtc, r.Callback?.AtUtc ?? nowUtc }.Min();
        var payment = Payment.Create(new NewPayment
        {
            Id = paymentId,
            Currency = r.Currency,
            Source = PaymentSource.Voucherly,
            CreatedAtUtc = createdAt,
            Tenant = r.Tenant,
            Mode = r.Mode,
            ReferenceId = r.ReferenceId,
            ParentPaymentId = r.ParentPaymentId,
            CompanyId = r.CompanyId,
            Customer = r.Customer,
            SelectedGatewayId = r.SelectedGatewayId,
            CheckoutUrl = r.CheckoutUrl,
            Metadata = r.Metadata,
        }, source);
        foreach (var line in r.Lines) payment.AddLine(line);
        foreach (var discount in r.Discounts) payment.AddDiscount(discount);
        if (r.CloseCheckout is { } closed) payment.RecordCheckoutClosed(closed.Success, closed.AtUtc);
        if (r.Callback is { } callback) payment.RecordCallback(callback.Success, callback.AtUtc);
        foreach (var transaction in r.Transactions)
        {
            payment.AddTransaction(transaction with { CreatedAtUtc = createdAt }, source);
            AddedTransactions++;
        }
        ReportPaymentStatus(payment, r.Status);
        payment.RecordReportedTotals(r.Totals, nowUtc);
        return payment;
    }

    /// <summary>Brings a known payment in step with the report. Price first, then attempts, then the payment's own status and totals.</summary>
    public void Apply(Payment payment, VoucherlyPaymentReport r)
    {
        if (!SameCustomer(payment.Customer, r.Customer)) payment.UpdateCustomer(r.Customer, nowUtc);
        if (!payment.Metadata.Equals(r.Metadata)) payment.ReplaceMetadata(r.Metadata, nowUtc);
        if (payment.CheckoutUrl != r.CheckoutUrl || payment.SelectedGatewayId != r.SelectedGatewayId)
            payment.SetCheckout(r.CheckoutUrl, r.SelectedGatewayId, nowUtc);
        if (r.CloseCheckout is { } closed && !SameEvent(payment.CloseCheckout, closed))
            payment.RecordCheckoutClosed(closed.Success, closed.AtUtc);
        if (r.Callback is { } callback && !SameEvent(payment.Callback, callback))
            payment.RecordCallback(callback.Success, callback.AtUtc);

        // The model takes lines and discounts only while nothing is paid, and never removes one:
        // lines Voucherly added while the payment is open are added; any other difference in price
        // shows as TotalsMismatch once the reported totals are recorded.
        if (payment.Status == PaymentStatus.Requested)
        {
            foreach (var line in r.Lines.Skip(payment.Lines.Count)) payment.AddLine(line);
            foreach (var discount in r.Discounts.Skip(payment.Discounts.Count)) payment.AddDiscount(discount);
        }

        foreach (var reported in r.Transactions)
        {
            var known = payment.Transactions.FirstOrDefault(t => t.Id == reported.Id);
            if (known is null)
            {
                payment.AddTransaction(reported with { CreatedAtUtc = nowUtc }, source);
                AddedTransactions++;
            }
            else
            {
                ApplyToTransaction(known, reported);
            }
        }

        // The payment's status and totals follow from its transactions: while one of them waits
        // for a portal refund to settle, they wait too (Voucherly's may already count the refund).
        if (_deferred.Count > 0) return;
        ReportPaymentStatus(payment, r.Status);
        if (!SameTotals(payment, r.Totals)) payment.RecordReportedTotals(r.Totals, nowUtc);
    }

    private void ApplyToTransaction(PaymentTransaction t, NewTransaction reported)
    {
        var to = reported.Status;
        var amounts = new TransactionAmountsReport(reported.RequestedAmount, reported.ProcessedAmount, reported.VoucherAmount,
            reported.NoOfVouchers, reported.ConfirmedAmount, reported.RefundedAmount);
        var sameAmounts = amounts == new TransactionAmountsReport(t.RequestedAmount, t.ProcessedAmount, t.VoucherAmount, t.NoOfVouchers,
            t.ConfirmedAmount, t.RefundedAmount);
        if (t.RefundReservedAmount > 0 && (to != t.Status || !sameAmounts))
        {
            _deferred.Add(t.Id);
            return;
        }

        if (to != t.Status && !TransactionStatusTransitions.IsAllowed(t.Status, to))
        {
            // A move backwards (or out of a final status): recorded and flagged, not applied. The
            // amounts and details that came with it describe that state, so they are not applied either.
            RefusedReports++;
            if (!AlreadyRefused(t.Id, t.Status.ToString(), to.ToString()))
                t.ApplyReportedStatus(to, source, nowUtc,
                    $"Refused: Voucherly reports {to}, but a transaction cannot move from {t.Status} to {to}; the amounts reported with it were not applied.");
            return;
        }

        if (!sameAmounts) t.RecordReportedAmounts(amounts, source, nowUtc);
        if (t.ExternalId1 != reported.ExternalId1 || t.ExternalId2 != reported.ExternalId2 || t.ExternalId3 != reported.ExternalId3)
            t.SetExternalIds(reported.ExternalId1, reported.ExternalId2, reported.ExternalId3, source, nowUtc);
        if (reported.Card is { } card && !SameCard(t.Card, card)) t.AttachCard(card, source, nowUtc);
        if (reported.DirectDebit is { } debit && !SameDebit(t.DirectDebit, debit)) t.AttachDirectDebit(debit, source, nowUtc);
        if (t.HolderName != reported.HolderName || t.HolderEmail != reported.HolderEmail)
            t.SetHolder(reported.HolderName, reported.HolderEmail, source, nowUtc);
        if (reported.Error is { } error && !SameError(t.Error, error)) t.RecordError(error, source, nowUtc);

        if (to == TransactionStatus.NextAction && reported.NextAction is { } request
            && (t.Status != TransactionStatus.NextAction || !SameRequest(t.NextAction, request)))
            t.RequestNextAction(request, source, nowUtc);
        else if (to != t.Status)
            t.ApplyReportedStatus(to, source, nowUtc, ReportedNote);
    }

    private void ReportPaymentStatus(Payment payment, PaymentStatus to)
    {
        if (to == payment.Status) return;
        if (PaymentStatusTransitions.IsAllowed(payment.Status, to))
        {
            payment.ApplyReportedStatus(to, source, nowUtc, ReportedNote);
            return;
        }
        RefusedReports++;
        if (!AlreadyRefused(null, payment.Status.ToString(), to.ToString()))
            payment.ApplyReportedStatus(to, source, nowUtc,
                $"Refused: Voucherly reports {to}, but a payment cannot move from {payment.Status} to {to}.");
    }

    /// <summary>A refusal already on record as the subject's last history entry is not recorded again on every read.</summary>
    private bool AlreadyRefused(string? transactionId, string from, string to) =>
        history.Any(c => c.TransactionId == transactionId && !c.Applied && c.FromStatus == from && c.ToStatus == to);

    private static bool SameCustomer(PaymentCustomer a, PaymentCustomer b) =>
        a.Id == b.Id && a.Email == b.Email && a.FirstName == b.FirstName && a.LastName == b.LastName
        && a.PhoneNumber == b.PhoneNumber && a.PaymentMethodId == b.PaymentMethodId;

    private static bool SameEvent(CheckoutOutcome? stored, VoucherlyEventReport reported) =>
        stored is not null && stored.Success == reported.Success && stored.AtUtc == reported.AtUtc;

    private static bool SameCard(CardDetails? a, CardDetails b) =>
        a is not null && a.MaskedPan == b.MaskedPan && a.Last4 == b.Last4 && a.Brand == b.Brand
        && a.ExpirationMonth == b.ExpirationMonth && a.ExpirationYear == b.ExpirationYear && a.Product == b.Product;

    private static bool SameDebit(DirectDebitDetails? a, DirectDebitDetails b) =>
        a is not null && a.MaskedIban == b.MaskedIban && a.AccountId == b.AccountId && a.Bic == b.Bic;

    private static bool SameError(TransactionError? a, TransactionError b) =>
        a is not null && a.Code == b.Code && a.ExternalMessage == b.ExternalMessage && a.ExternalCode == b.ExternalCode;

    private static bool SameRequest(NextActionRequest? a, NextActionRequest b) =>
        a is not null && a.Action == b.Action && a.ExternalTransactionId == b.ExternalTransactionId && a.Url == b.Url;

    private static bool SameTotals(Payment p, ReportedTotals r) =>
        p.ReportedTotalAmount == r.TotalAmount && p.ReportedDiscountAmount == r.DiscountAmount && p.ReportedFinalAmount == r.FinalAmount
        && p.ReportedPaidAmount == r.PaidAmount && p.ReportedPaidVoucherAmount == r.PaidVoucherAmount
        && p.ReportedRemainingAmount == r.RemainingAmount;
}
