namespace Portal.Domain.Payments;

/// <summary>Building and updating a payment's parts: lines, discounts, transactions, customer, metadata, links.</summary>
public sealed partial class Payment
{
    /// <summary>Lines fix the price, so they can only be added while nothing has been paid (status Requested).</summary>
    public PaymentLine AddLine(NewPaymentLine line)
    {
        EnsurePriceOpen("add a line");
        var added = new PaymentLine(Id, _lines.Count, line);
        _lines.Add(added);
        RecomputeAmounts();
        Version++;
        return added;
    }

    /// <summary>Discounts fix the price, so they can only be added while the payment is Requested.</summary>
    public PaymentDiscount AddDiscount(NewPaymentDiscount discount)
    {
        EnsurePriceOpen("add a discount");
        var added = new PaymentDiscount(Id, _discounts.Count, discount);
        _discounts.Add(added);
        RecomputeAmounts();
        Version++;
        return added;
    }

    /// <summary>
    /// Adds a gateway attempt (history records its initial status), then recomputes amounts and
    /// moves the payment's status as its transactions imply (<see cref="DeriveStatus"/>).
    /// </summary>
    public PaymentTransaction AddTransaction(NewTransaction transaction, string source)
    {
        var added = new PaymentTransaction(this, transaction);
        if (_transactions.Any(t => t.Id == added.Id)) throw new DomainException($"Payment {Id} already has transaction {added.Id}.");
        _transactions.Add(added);
        RecordHistory(added.Id, null, added.Status.ToString(), added.CreatedAtUtc, source, applied: true, "Created.");
        OnTransactionChanged(source, added.CreatedAtUtc);
        return added;
    }

    public void UpdateCustomer(PaymentCustomer customer, DateTime atUtc)
    {
        SetCustomer(customer);
        Touch(Text.Utc(atUtc, "update time"));
    }

    /// <summary>Replaces all metadata (limits enforced).</summary>
    public void ReplaceMetadata(IEnumerable<KeyValuePair<string, string>>? metadata, DateTime atUtc)
    {
        Metadata = PaymentMetadata.From(metadata);
        Touch(Text.Utc(atUtc, "update time"));
    }

    public void SetCheckout(string? checkoutUrl, string? selectedGatewayId, DateTime atUtc)
    {
        CheckoutUrl = Text.Optional(checkoutUrl, 2000, "checkout url");
        SelectedGatewayId = Text.Optional(selectedGatewayId, 100, "selected gateway id");
        Touch(Text.Utc(atUtc, "update time"));
    }

    public void RecordCheckoutClosed(bool success, DateTime closedAtUtc)
    {
        CloseCheckout = CheckoutOutcome.Create(success, closedAtUtc);
        Touch(closedAtUtc);
    }

    public void RecordCallback(bool success, DateTime sentAtUtc)
    {
        Callback = CheckoutOutcome.Create(success, sentAtUtc);
        Touch(sentAtUtc);
    }

    public void LinkToCall(string? callUuid, string? agentName, string? projectId, bool inCall, DateTime atUtc)
    {
        CallUuid = Text.Optional(callUuid, 100, "call uuid");
        AgentName = Text.Optional(agentName, 200, "agent name");
        ProjectId = Text.Optional(projectId, 100, "project id");
        InCall = inCall;
        Touch(Text.Utc(atUtc, "update time"));
    }

    private void SetCustomer(PaymentCustomer customer)
    {
        Customer = customer.Copy();
        CustomerEmailNormalized = customer.NormalizedEmail;
        CustomerName = customer.FullName is { } name && name.Length > 200 ? name[..200] : customer.FullName;
    }

    private void EnsurePriceOpen(string action)
    {
        if (Status != PaymentStatus.Requested)
            throw new DomainException($"Cannot {action} to payment {Id}: it is {Status}, and its price is settled.");
    }
}
