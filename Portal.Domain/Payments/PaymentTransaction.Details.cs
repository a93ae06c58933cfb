namespace Portal.Domain.Payments;

/// <summary>Gateway-reported details of an attempt: amounts, ids, payment method, holder, error, next action.</summary>
public sealed partial class PaymentTransaction
{
    /// <summary>Applies a gateway's view of the amounts; the refund ceiling (refunded ≤ confirmed) still holds.</summary>
    public void RecordReportedAmounts(TransactionAmountsReport amounts, string source, DateTime atUtc)
    {
        SetAmounts(amounts);
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    public void SetExternalIds(string? externalId1, string? externalId2, string? externalId3, string source, DateTime atUtc)
    {
        SetExternalIdsCore(externalId1, externalId2, externalId3);
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    public void AttachCard(CardDetails card, string source, DateTime atUtc)
    {
        SetCard(card);
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    public void AttachDirectDebit(DirectDebitDetails directDebit, string source, DateTime atUtc)
    {
        DirectDebit = directDebit.Copy();
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    public void SetHolder(string? holderName, string? holderEmail, string source, DateTime atUtc)
    {
        SetHolderCore(holderName, holderEmail);
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    /// <summary>Records why the attempt failed. It does not change the status: that is the gateway's report to make.</summary>
    public void RecordError(TransactionError error, string source, DateTime atUtc)
    {
        Error = error.Copy();
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    /// <summary>
    /// Stores what the customer must do next (e.g. the 3-D Secure URL) and moves the attempt to
    /// NextAction. A late request for an attempt that has moved on is refused (recorded) and
    /// leaves the stored request alone.
    /// </summary>
    public StatusChangeOutcome RequestNextAction(NextActionRequest request, string source, DateTime atUtc)
    {
        Text.Utc(atUtc, "report time");
        if (Status != TransactionStatus.NextAction && !TransactionStatusTransitions.IsAllowed(Status, TransactionStatus.NextAction))
            return ApplyReportedStatus(TransactionStatus.NextAction, source, atUtc);
        NextAction = request.Copy();
        if (Status != TransactionStatus.NextAction) return ApplyReportedStatus(TransactionStatus.NextAction, source, atUtc);
        Changed(source, atUtc);
        return StatusChangeOutcome.Unchanged;
    }

    /// <summary>Sets the idempotency key once; a different key later would break idempotency, so it is refused.</summary>
    public void AssignTrackingId(string trackingId, string source, DateTime atUtc)
    {
        var value = Text.Required(trackingId, 100, "tracking id");
        if (TrackingId == value) return;
        if (TrackingId is not null) throw new DomainException($"Transaction {Id} already has tracking id {TrackingId}; it cannot change.");
        TrackingId = value;
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    /// <summary>Stores the card token the web layer already encrypted; a raw card number is refused.</summary>
    public void StoreProtectedCardToken(string protectedToken, string source, DateTime atUtc)
    {
        SetProtectedToken(protectedToken);
        Changed(source, Text.Utc(atUtc, "report time"));
    }

    private void SetProtectedToken(string protectedToken)
    {
        if (SensitiveData.LooksLikeFullPan(protectedToken))
            throw new CardDataException("That looks like a card number, not a protected token; it was not stored.");
        CardTokenProtected = Text.Required(protectedToken, 2000, "protected card token");
    }

    private void SetGateway(GatewayRef gateway)
    {
        GatewayId = Text.Optional(gateway.Id, 100, "gateway id");
        GatewayName = Text.Optional(gateway.Name, 200, "gateway name");
        GatewayType = gateway.Type;
        GatewayPaymentAction = gateway.PaymentAction;
        GatewayImageUrl = Text.Optional(gateway.ImageUrl, 2000, "gateway image url");
        GatewayIconUrl = Text.Optional(gateway.IconUrl, 2000, "gateway icon url");
    }

    private void SetAmounts(TransactionAmountsReport a)
    {
        if (a.RequestedAmount < 0 || a.ProcessedAmount < 0 || a.VoucherAmount < 0 || a.NoOfVouchers < 0
            || a.ConfirmedAmount < 0 || a.RefundedAmount < 0)
            throw new DomainException("Transaction amounts cannot be negative.");
        if (a.RefundedAmount > a.ConfirmedAmount)
            throw new DomainException($"A transaction cannot have refunded {a.RefundedAmount} of {a.ConfirmedAmount} confirmed.");
        RequestedAmount = a.RequestedAmount;
        ProcessedAmount = a.ProcessedAmount;
        VoucherAmount = a.VoucherAmount;
        NoOfVouchers = a.NoOfVouchers;
        ConfirmedAmount = a.ConfirmedAmount;
        RefundedAmount = a.RefundedAmount;
    }

    private void SetExternalIdsCore(string? id1, string? id2, string? id3)
    {
        ExternalId1 = Text.Optional(id1, 200, "external id 1");
        ExternalId2 = Text.Optional(id2, 200, "external id 2");
        ExternalId3 = Text.Optional(id3, 200, "external id 3");
    }

    private void SetCard(CardDetails card)
    {
        Card = card.Copy();
        CardLast4 = card.Last4;
    }

    private void SetHolderCore(string? holderName, string? holderEmail)
    {
        if (SensitiveData.LooksLikeFullPan(holderName)) throw new CardDataException("The holder name looks like a card number; it was not stored.");
        HolderName = Text.Optional(holderName, 200, "holder name");
        HolderEmail = Text.Optional(holderEmail, 256, "holder email");
    }
}
