using System.Globalization;
using System.Text.Json;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;

namespace Portal.DemoData;

/// <summary>What happens to a demo payment; chosen per payment with realistic shares.</summary>
internal enum DemoScenario
{
    Success,
    RetryThenSuccess,
    PartialRefund,
    FullRefund,
    AuthorisedOnly,
    Voided,
    Reversed,
    ImpossibleRefund,
    Cancelled,
    Expired,
    DeclinedGaveUp,
    DirectDebit,
    Pending,
}

/// <summary>
/// Builds one demo payment through the domain model: lines, discounts, then the gateway
/// attempts and what the gateway reported about them, in time order, never after the data
/// set's end. Deterministic: every choice comes from the payment's own random stream.
/// </summary>
internal sealed class DemoPaymentBuilder(DemoDataGenerator generator, int index, DemoRandom r)
{
    private const string RefundSource = "demo:refund";
    private static readonly TimeSpan WebhookWindow = TimeSpan.FromDays(7);

    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly HashSet<string> _eventKeys = new(StringComparer.Ordinal);
    private Payment _payment = null!;
    private DemoCustomer _customer = null!;
    private PaymentSource _source;
    private string _historySource = "";
    private DateTime _created;
    private DateTime _end;
    private DateTime _last;
    private (string Brand, string Bin, int Length, string Product, string Last4, int Month, int Year) _card;

    private Currency Currency => _customer.Market.Currency;

    public DemoPayment Build()
    {
        _created = generator.CreatedAt(index);
        _end = generator.Spec.EndUtc;
        _last = _created;
        _source = r.Weighted<PaymentSource>([(PaymentSource.Voucherly, 40), (PaymentSource.EComCharge, 28), (PaymentSource.Vcc, 18), (PaymentSource.CardGateway, 14)]);
        _historySource = "demo:" + _source.ToString().ToLowerInvariant();

        var mode = PaymentMode.Payment;
        var modeRoll = r.Between(0, 99);
        if (_source == PaymentSource.Voucherly && index > 0 && modeRoll < 4) mode = PaymentMode.Wallet;
        else if (_source is PaymentSource.Voucherly or PaymentSource.CardGateway && modeRoll >= 98) mode = PaymentMode.Setup;

        int? parentIndex = mode == PaymentMode.Wallet ? index - r.Between(1, Math.Min(index, 500)) : null;
        _customer = generator.Customer(generator.CustomerIndexOf(parentIndex ?? index));
        NewCard();

        _payment = Payment.Create(new NewPayment
        {
            Id = generator.PaymentId(index),
            Currency = Currency,
            Source = _source,
            CreatedAtUtc = _created,
            Tenant = _source == PaymentSource.Voucherly && r.Percent(3) ? PaymentTenant.Sand : PaymentTenant.Live,
            Mode = mode,
            ReferenceId = Reference(),
            ParentPaymentId = parentIndex is { } p ? generator.PaymentId(p) : null,
            CompanyId = _source == PaymentSource.Voucherly ? r.Pick(["cmp_trattoria_roma", "cmp_city_foods", "cmp_events_hub"]) : null,
            Customer = Customer(),
            SelectedGatewayId = SelectedGateway(mode).Id,
            Metadata = Metadata(),
            CallUuid = _source == PaymentSource.Vcc ? r.NextGuid().ToString() : null,
            AgentName = _source == PaymentSource.Vcc ? r.Pick(DemoCatalog.Agents) : null,
            ProjectId = _source == PaymentSource.Vcc ? r.Pick(DemoCatalog.Projects) : null,
            InCall = _source == PaymentSource.Vcc && r.Percent(85),
        }, _historySource);
        if (_source == PaymentSource.Voucherly)
        {
            var host = _payment.Tenant == PaymentTenant.Sand ? "sandbox.voucherly.it" : "checkout.voucherly.it";
            _payment.SetCheckout($"https://{host}/p/{_payment.Id}", _payment.SelectedGatewayId, _created);
        }

        if (mode != PaymentMode.Setup) AddLines();
        if (mode == PaymentMode.Payment && _source is PaymentSource.Voucherly or PaymentSource.EComCharge && r.Percent(25)) AddDiscounts();

        switch (mode)
        {
            case PaymentMode.Wallet: WalletFlow(); break;
            case PaymentMode.Setup: SetupFlow(); break;
            default: PaymentFlow(ChooseScenario()); break;
        }

        ReportTotals();
        return new DemoPayment(_payment, _deliveries);
    }

    // ---------------------------------------------------------------- scenario

    private DemoScenario ChooseScenario()
    {
        var age = _end - _created;
        // Recent payments are still in flight: the customer is on the 3-D Secure page or the agent is on the call.
        var pendingPercent = age < TimeSpan.FromMinutes(20) ? 35 : age < TimeSpan.FromHours(2) ? 10 : 0;
        if (r.Percent(pendingPercent)) return DemoScenario.Pending;

        var roll = r.Between(0, 999);
        var scenario = roll switch
        {
            < 650 => DemoScenario.Success,
            < 740 => DemoScenario.RetryThenSuccess,
            < 770 => DemoScenario.PartialRefund,
            < 790 => DemoScenario.FullRefund,
            < 815 => DemoScenario.AuthorisedOnly,
            < 820 => DemoScenario.Voided,
            < 822 => DemoScenario.Reversed,
            < 823 => DemoScenario.ImpossibleRefund,
            < 860 => DemoScenario.Cancelled,
            < 900 => DemoScenario.Expired,
            < 940 => DemoScenario.DeclinedGaveUp,
            < 970 => DemoScenario.DirectDebit,
            _ => DemoScenario.Success,
        };
        if (scenario == DemoScenario.DirectDebit && _source is not (PaymentSource.Voucherly or PaymentSource.CardGateway)) return DemoScenario.Success;
        if (scenario is DemoScenario.AuthorisedOnly or DemoScenario.Voided && _source == PaymentSource.Vcc) return DemoScenario.Success;
        return scenario;
    }

    private void PaymentFlow(DemoScenario scenario)
    {
        var final = _payment.FinalAmount;
        var cardAmount = final;
        var voucherFirst = scenario is DemoScenario.Success or DemoScenario.RetryThenSuccess or DemoScenario.PartialRefund or DemoScenario.FullRefund
            && _source == PaymentSource.Voucherly && Currency.Code is "EUR" or "HUF" && r.Percent(40);
        if (voucherFirst && VoucherPart(final) is { } voucher)
        {
            var t = Start(r.Percent(70) ? DemoCatalog.Edenred : DemoCatalog.Pluxee, Step(5, 40), voucher.Amount, kind: AttemptKind.Voucher);
            Approve(t, Step(3, 15), capture: true, voucher.Amount, voucher.Count);
            cardAmount = final - voucher.Amount;
        }

        switch (scenario)
        {
            case DemoScenario.Pending:
                Pending(cardAmount);
                return;
            case DemoScenario.DirectDebit:
                DirectDebit(cardAmount);
                return;
            case DemoScenario.Cancelled:
                Cancelled(cardAmount);
                return;
            case DemoScenario.Expired:
                Expired(cardAmount);
                return;
            case DemoScenario.DeclinedGaveUp:
                for (var k = r.Between(1, 3); k > 0; k--) Decline(Start(CardGatewayRef(), Step(20, 180), cardAmount), Step(2, 20));
                ExpirePayment(TimeSpan.FromHours(24), "Checkout expired after the customer's cards were declined.");
                return;
            case DemoScenario.RetryThenSuccess:
                for (var k = r.Percent(75) ? 1 : 2; k > 0; k--)
                {
                    Decline(Start(CardGatewayRef(), Step(15, 120), cardAmount), Step(2, 15));
                    if (r.Percent(35)) NewCard();
                }
                break;
        }

        if (cardAmount == 0 && _payment.Transactions.Count > 0)
        {
            AfterSuccess(scenario);
            return;
        }

        var attempt = Start(CardGatewayRef(), Step(10, 120), cardAmount);
        if (_source is PaymentSource.EComCharge or PaymentSource.Voucherly && r.Percent(35)) ThreeDSecure(attempt, Step(1, 4));
        var captureNow = scenario is not (DemoScenario.AuthorisedOnly or DemoScenario.Voided);
        Approve(attempt, Step(5, 60), captureNow, cardAmount, 0);
        if (scenario == DemoScenario.AuthorisedOnly)
        {
            // Captured a day or two later, unless that is still in the future: then it shows as authorised.
            var at = _last + TimeSpan.FromHours(r.Between(6, 48));
            if (at <= _end) Capture(attempt, at);
            return;
        }
        if (scenario == DemoScenario.Voided)
        {
            var at = _last + TimeSpan.FromMinutes(r.Between(10, 600));
            if (at <= _end) Report(attempt, TransactionStatus.Voided, at, "Authorisation released by the merchant.");
            return;
        }
        AfterSuccess(scenario);
    }

    private void AfterSuccess(DemoScenario scenario)
    {
        if (_source == PaymentSource.Voucherly)
        {
            _payment.RecordCheckoutClosed(true, Step(1, 5));
            _payment.RecordCallback(true, Step(1, 3));
        }
        switch (scenario)
        {
            case DemoScenario.PartialRefund:
            {
                var card = _payment.Transactions.LastOrDefault(t => t.RefundableAmount > 1);
                if (card is null) return;
                var at = Later(TimeSpan.FromHours(1), TimeSpan.FromDays(6));
                if (at is null) return;
                var first = Math.Max(1, card.RefundableAmount * r.Between(10, 60) / 100);
                card.RecordRefund(first, RefundSource, at.Value);
                _last = at.Value;
                var again = Later(TimeSpan.FromHours(2), TimeSpan.FromDays(3));
                if (r.Percent(30) && again is not null && card.RefundableAmount > 1)
                {
                    card.RecordRefund(Math.Max(1, card.RefundableAmount * r.Between(10, 50) / 100), RefundSource, again.Value);
                    _last = again.Value;
                }
                return;
            }
            case DemoScenario.FullRefund:
            {
                var at = Later(TimeSpan.FromHours(1), TimeSpan.FromDays(10));
                if (at is null) return;
                foreach (var t in _payment.Transactions.Where(t => t.RefundableAmount > 0).ToList())
                    t.RecordRefund(t.RefundableAmount, RefundSource, at.Value);
                _last = at.Value;
                return;
            }
            case DemoScenario.Reversed:
            {
                var at = Later(TimeSpan.FromDays(2), TimeSpan.FromDays(20));
                var card = _payment.Transactions.LastOrDefault(t => t.Status == TransactionStatus.Confirmed);
                if (at is null || card is null) return;
                card.RecordError(TransactionError.Create(TransactionErrorCode.Generic, "Chargeback: cardholder disputes the transaction.", "4837"), _historySource, at.Value);
                Report(card, TransactionStatus.Reversed, at.Value, "Chargeback received.");
                return;
            }
            case DemoScenario.ImpossibleRefund:
            {
                var at = Later(TimeSpan.FromDays(1), TimeSpan.FromDays(10));
                var card = _payment.Transactions.LastOrDefault(t => t.Status == TransactionStatus.Confirmed);
                if (at is null || card is null) return;
                card.MarkImpossibleRefund("Refund refused by the issuer: the card account is closed.", RefundSource, at.Value);
                _last = at.Value;
                return;
            }
        }
    }

    private void Pending(long amount)
    {
        var attempt = Start(CardGatewayRef(), Step(5, 60), amount);
        if (_source is PaymentSource.EComCharge or PaymentSource.Voucherly && r.Percent(65)) ThreeDSecure(attempt, Step(1, 4));
    }

    private void DirectDebit(long amount)
    {
        var attempt = Start(_source == PaymentSource.Voucherly ? DemoCatalog.Sepa : DemoCatalog.CardGateway, Step(20, 200), amount, AttemptKind.DirectDebit);
        Approve(attempt, Step(2, 10), capture: false, amount, 0);
        // SEPA settles after a few business days; until then the money is announced, not captured.
        var settled = _last + TimeSpan.FromDays(3) + TimeSpan.FromMinutes(r.Between(0, 600));
        if (settled <= _end) Capture(attempt, settled);
    }

    private void Cancelled(long amount)
    {
        var attempt = Start(CardGatewayRef(), Step(10, 120), amount);
        var at = Step(20, 300);
        attempt.RecordError(TransactionError.Create(TransactionErrorCode.Cancelled, "The customer cancelled the payment.", "CANCELLED"), _historySource, at);
        Report(attempt, TransactionStatus.Cancelled, at, null);
        if (_source == PaymentSource.Voucherly) _payment.RecordCheckoutClosed(false, at);
        _payment.ApplyReportedStatus(PaymentStatus.Cancelled, _historySource, Step(1, 3), "Cancelled by the customer.");
    }

    private void Expired(long amount)
    {
        var attempt = Start(CardGatewayRef(), Step(10, 120), amount);
        if (_source is PaymentSource.EComCharge or PaymentSource.Voucherly) ThreeDSecure(attempt, Step(1, 4));
        var at = _last + TimeSpan.FromMinutes(30);
        if (at > _end) return; // still within the 3-D Secure window: pending
        attempt.RecordError(TransactionError.Create(TransactionErrorCode.NotCompleted, "The customer did not complete the payment in time.", "EXPIRED"), _historySource, at);
        Report(attempt, TransactionStatus.Expired, at, null);
        ExpirePayment(TimeSpan.FromMinutes(1), "Checkout expired.");
    }

    private void ExpirePayment(TimeSpan after, string note)
    {
        var at = _last + after;
        if (at > _end) return;
        _payment.ApplyReportedStatus(PaymentStatus.Expired, _historySource, at, note);
        _last = at;
    }

    private void WalletFlow()
    {
        var attempt = Start(DemoCatalog.Wallet, Step(2, 20), _payment.FinalAmount, AttemptKind.Wallet);
        Approve(attempt, Step(1, 3), capture: true, _payment.FinalAmount, 0);
        _payment.RecordCallback(true, Step(1, 3));
    }

    private void SetupFlow()
    {
        // A card saved for later (no amount): the attempt verifies the card and keeps a token.
        var attempt = Start(_source == PaymentSource.Voucherly ? DemoCatalog.EComCharge : DemoCatalog.CardGateway, Step(10, 60), 0);
        Approve(attempt, Step(2, 10), capture: true, 0, 0);
    }

    // ---------------------------------------------------------------- attempts

    private enum AttemptKind
    {
        Card,
        Voucher,
        DirectDebit,
        Wallet,
    }

    private PaymentTransaction Start(GatewayRef gateway, DateTime at, long amount, AttemptKind kind = AttemptKind.Card)
    {
        var id = DemoIds.New(Ids.TransactionPrefix, at, r);
        var card = kind == AttemptKind.Card ? Card() : null;
        var transaction = new NewTransaction
        {
            Id = id,
            CreatedAtUtc = at,
            Gateway = gateway,
            Status = TransactionStatus.Requested,
            RequestedAmount = amount,
            ExternalId1 = ExternalId(gateway),
            ExternalId2 = gateway == DemoCatalog.CardGateway ? _payment.ReferenceId : null,
            IsWallet = kind == AttemptKind.Wallet,
            Card = card,
            DirectDebit = kind == AttemptKind.DirectDebit ? DirectDebitAccount() : null,
            HolderName = kind is AttemptKind.Card or AttemptKind.DirectDebit ? _customer.FullName : null,
            HolderEmail = kind == AttemptKind.Card && _source != PaymentSource.Vcc ? _customer.Email : null,
            TrackingId = gateway == DemoCatalog.EComCharge ? "trk-" + id[4..] : null,
        };
        return _payment.AddTransaction(transaction, _historySource);
    }

    private void ThreeDSecure(PaymentTransaction attempt, DateTime at)
    {
        var url = attempt.GatewayId == DemoCatalog.EComCharge.Id
            ? $"https://processing.ecomcharge.com/process/{attempt.ExternalId1}"
            : $"https://checkout.voucherly.it/3ds/{attempt.ExternalId1}";
        attempt.RequestNextAction(NextActionRequest.Create(CheckoutAction.Redirect, attempt.ExternalId1, url), _historySource, at);
    }

    private void Approve(PaymentTransaction attempt, DateTime at, bool capture, long amount, int vouchers)
    {
        var voucherAmount = vouchers > 0 ? amount : 0;
        attempt.RecordReportedAmounts(new TransactionAmountsReport(amount, amount, voucherAmount, vouchers, capture ? amount : 0, 0), _historySource, at);
        Report(attempt, capture ? TransactionStatus.Confirmed : TransactionStatus.Paid, at, null);
    }

    private void Capture(PaymentTransaction attempt, DateTime at)
    {
        attempt.RecordReportedAmounts(new TransactionAmountsReport(attempt.RequestedAmount, attempt.ProcessedAmount, attempt.VoucherAmount,
            attempt.NoOfVouchers, attempt.ProcessedAmount, 0), _historySource, at);
        Report(attempt, TransactionStatus.Confirmed, at, "Captured.");
    }

    private void Decline(PaymentTransaction attempt, DateTime at)
    {
        var decline = attempt.GatewayId is "voucherly-edenred" or "voucherly-pluxee" ? r.Pick(DemoCatalog.VoucherDeclines) : r.Pick(DemoCatalog.CardDeclines);
        attempt.RecordError(TransactionError.Create(decline.Code, decline.Message, decline.ExternalCode), _historySource, at);
        Report(attempt, TransactionStatus.Failed, at, null);
    }

    private void Report(PaymentTransaction attempt, TransactionStatus status, DateTime at, string? note)
    {
        attempt.ApplyReportedStatus(status, _historySource, at, note);
        _last = at > _last ? at : _last;
        RecordDelivery(attempt, status, at);
    }

    /// <summary>The callback a webhook-driven gateway would have sent for this outcome (only for the last week, as a real log would keep).</summary>
    private void RecordDelivery(PaymentTransaction attempt, TransactionStatus status, DateTime at)
    {
        var source = attempt.GatewayId switch
        {
            "vcc" => WebhookSource.Vcc,
            "ecomcharge" when _source == PaymentSource.EComCharge => WebhookSource.EComCharge,
            "cardgateway" => WebhookSource.CardGateway,
            _ => (WebhookSource?)null,
        };
        var received = at.AddMilliseconds(350);
        if (source is null || attempt.ExternalId1 is null || _end - received > WebhookWindow || received > _end) return;
        if (status is not (TransactionStatus.Paid or TransactionStatus.Confirmed or TransactionStatus.Failed or TransactionStatus.Cancelled
            or TransactionStatus.Expired)) return;
        var money = new Money(attempt.RequestedAmount, Currency);
        var success = status is TransactionStatus.Confirmed or TransactionStatus.Paid;
        var (wireStatus, payload) = source switch
        {
            WebhookSource.Vcc => (success ? "successful" : "unsuccessful", JsonSerializer.Serialize(new
            {
                in_call = _payment.InCall,
                uuid = _payment.CallUuid,
                projectid = int.Parse(_payment.ProjectId ?? "0", CultureInfo.InvariantCulture),
                username = _payment.AgentName,
                timestamp = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                payment = new
                {
                    payment_type = "creditcard",
                    card_number_trailing = attempt.CardLast4,
                    card_number_length = _card.Length,
                    card_expiration = $"{_card.Month:00}{_card.Year % 100:00}",
                    payment_gw = "sandboxgw",
                    transactionid = attempt.ExternalId1,
                    amount = attempt.RequestedAmount,
                    currency = Currency.Code.ToLowerInvariant(),
                    status = success ? "successful" : "unsuccessful",
                    status_message = success ? "cde.success" : "cde.declined",
                },
            })),
            WebhookSource.EComCharge => (success ? "successful" : "failed", JsonSerializer.Serialize(new
            {
                transaction = new
                {
                    uid = attempt.ExternalId1,
                    status = success ? "successful" : "failed",
                    amount = attempt.RequestedAmount,
                    currency = Currency.Code,
                    tracking_id = attempt.TrackingId,
                    message = success ? "Successfully processed" : attempt.Error?.ExternalMessage,
                    credit_card = new { brand = _card.Brand, first_1 = _card.Bin[..1], last_4 = attempt.CardLast4, exp_month = _card.Month, exp_year = _card.Year },
                },
            })),
            _ => (success ? "success" : "failed", JsonSerializer.Serialize(new
            {
                payment = new
                {
                    code = success ? "0" : attempt.Error?.ExternalCode,
                    description = success ? "APPROVED" : attempt.Error?.ExternalMessage,
                    status = success ? "success" : "failed",
                    amount = money.ToDecimal(),
                    currency = Currency.Code,
                    orderId = _payment.ReferenceId,
                    transactionId = attempt.ExternalId1,
                    source = new { method = "card", number = attempt.Card?.MaskedPan, brand = _card.Brand },
                },
                consumer = new { email = _customer.Email, firstName = _customer.FirstName, lastName = _customer.LastName },
            })),
        };
        // One callback per outcome: an authorisation and its later capture are both "successful".
        if (!_eventKeys.Add(attempt.ExternalId1 + ":" + wireStatus)) return;
        var delivery = new WebhookDelivery(source.Value, attempt.ExternalId1 + ":" + wireStatus, attempt.ExternalId1, wireStatus, payload, received);
        delivery.MarkApplied(_payment.Id, received.AddMilliseconds(120));
        _deliveries.Add(delivery);
    }

    private (long Amount, int Count)? VoucherPart(long final)
    {
        var food = _payment.Lines.Where(l => l.IsFood).Sum(l => l.FinalAmount);
        var face = Currency.Code == "HUF" ? 150_000L : 800L; // 1,500 Ft SZÉP voucher, 8.00 € meal voucher
        var count = (int)Math.Min(Math.Min(food, final) / face, r.Between(1, 8));
        return count > 0 ? (count * face, count) : null;
    }

    // ---------------------------------------------------------------- parts

    private void AddLines()
    {
        var count = _source switch
        {
            PaymentSource.Vcc => r.Percent(80) ? 1 : 2,
            PaymentSource.CardGateway => 1,
            _ => r.Weighted([(1, 35), (2, 30), (3, 20), (4, 10), (5, 5)]),
        };
        for (var k = 0; k < count; k++)
        {
            var subscription = _source == PaymentSource.CardGateway ? r.Pick(["prd_membership", "prd_subscription", "prd_phone_topup"]) : null;
            var productIndex = subscription is null
                ? r.Between(0, DemoCatalog.Products.Length - 1)
                : Array.FindIndex(DemoCatalog.Products, p => p.Id == subscription);
            var product = DemoCatalog.Products[productIndex];
            var unit = Price(product.EuroCents * (0.9m + r.Between(0, 25) / 100m));
            var quantity = r.Between(1, product.MaxQuantity);
            var unitDiscount = r.Percent(8) ? RoundMinor(unit / 10) : 0;
            var lineDiscount = r.Percent(4) ? RoundMinor((unit - unitDiscount) * quantity / 20) : 0;
            _payment.AddLine(new NewPaymentLine
            {
                Quantity = quantity,
                UnitAmount = unit,
                UnitDiscountAmount = unitDiscount,
                DiscountAmount = lineDiscount,
                ProductId = product.Id,
                ProductName = product.Name,
                ProductVariant = product.Variant,
                ProductImage = $"https://cdn.demo-merchant.example/img/{product.Id}.jpg",
                ProductExternalId1 = "SKU-" + (100_000 + productIndex * 7919 % 900_000).ToString(CultureInfo.InvariantCulture),
                ProductExternalId2 = r.Percent(30) ? "VAR-" + (productIndex * 7 % 100).ToString("D2", CultureInfo.InvariantCulture) + "-" + r.Between(1, 9) : null,
                TaxRate = product.IsFood ? _customer.Market.FoodTax : _customer.Market.StandardTax,
                IsFood = product.IsFood,
                IsGift = product.IsGift,
            });
        }
    }

    private void AddDiscounts()
    {
        var count = r.Weighted([(1, 70), (2, 22), (3, 8)]);
        var indexes = new List<int> { 0, 1, 2 };
        for (var i = indexes.Count - 1; i > 0; i--)
        {
            var j = r.Between(0, i);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }
        for (var k = 0; k < count; k++)
        {
            var total = Math.Max(1, _payment.TotalAmount);
            var code = r.Pick(DemoCatalog.DiscountCodes);
            var index = count > 1 && r.Percent(20) ? 0 : indexes[k];
            var discount = r.Weighted([(0, 35), (1, 35), (2, 10), (3, 20)]) switch
            {
                0 => new NewPaymentDiscount
                {
                    Type = DiscountType.DollarOff, Value = Math.Max(Currency.MinorPerMajor, RoundMinor(total * r.Between(5, 15) / 100)),
                    Name = code, Description = $"Promo code {code}", Index = index,
                },
                1 => new NewPaymentDiscount
                {
                    Type = DiscountType.PercentOff, Value = r.Pick(new[] { 5m, 10m, 12.5m, 15m, 20m, 25m }),
                    Name = code, Description = $"Promo code {code}: percentage off the basket", Index = index,
                },
                2 => new NewPaymentDiscount
                {
                    Type = DiscountType.Fixed, Value = Math.Max(Currency.MinorPerMajor, RoundMinor(total * 80 / 100)),
                    Name = "Staff price", Description = "Fixed staff price for the whole basket", Index = index,
                },
                _ => new NewPaymentDiscount
                {
                    Amount = Math.Max(1, RoundMinor(total * r.Between(2, 8) / 100)),
                    Name = "Loyalty reward", Description = "Points redeemed from the loyalty programme", Index = index,
                },
            };
            _payment.AddDiscount(discount);
        }
    }

    private void ReportTotals()
    {
        var mismatch = r.PerMille(5);
        var p = _payment;
        if (!mismatch && p.Source is not (PaymentSource.Voucherly or PaymentSource.CardGateway)) return;
        var at = Step(0, 2);
        var reported = p.Source == PaymentSource.Voucherly
            ? new ReportedTotals(p.TotalAmount, p.DiscountAmount, p.FinalAmount, p.PaidAmount, p.PaidVoucherAmount, p.RemainingAmount)
            : new ReportedTotals(FinalAmount: p.FinalAmount);
        if (mismatch)
        {
            // A gateway that rounded differently or ignored a discount: off by a few minor units or by the discount.
            var delta = p.DiscountAmount > 0 && r.Percent(50) ? p.DiscountAmount : r.Between(1, 3) * (r.Percent(50) ? 1 : -1);
            reported = reported with { FinalAmount = p.FinalAmount + delta };
        }
        p.RecordReportedTotals(reported, at);
    }

    // ---------------------------------------------------------------- values

    private DateTime Step(int minSeconds, int maxSeconds)
    {
        var next = _last + TimeSpan.FromMilliseconds(r.Between(minSeconds * 1000L, maxSeconds * 1000L));
        // Nothing happens after the data set's end; squeeze the last steps into the time left.
        if (next > _end) next = _last < _end ? _last + (_end - _last) / 2 : _last;
        _last = next;
        return next;
    }

    /// <summary>A time between the bounds after the last event, or null when that is after the data set's end.</summary>
    private DateTime? Later(TimeSpan min, TimeSpan max)
    {
        var at = _last + TimeSpan.FromSeconds(r.Between((long)min.TotalSeconds, (long)max.TotalSeconds));
        return at <= _end ? at : null;
    }

    private GatewayRef CardGatewayRef() => _source switch
    {
        PaymentSource.Vcc => DemoCatalog.Vcc,
        PaymentSource.CardGateway => DemoCatalog.CardGateway,
        _ => DemoCatalog.EComCharge,
    };

    private GatewayRef SelectedGateway(PaymentMode mode) => mode == PaymentMode.Wallet ? DemoCatalog.Wallet : CardGatewayRef();

    private string? ExternalId(GatewayRef gateway) => gateway.Id switch
    {
        "ecomcharge" => $"{r.Between(1000, 9999)}-{r.Hex(10)}",
        "vcc" => r.Hex(32),
        "cardgateway" => "CG" + r.Digits(12),
        "voucherly-edenred" => "EDN" + r.Digits(12),
        "voucherly-pluxee" => "PLX" + r.Digits(12),
        "voucherly-sepa" => "SEPA-" + r.Hex(12).ToUpperInvariant(),
        "voucherly-wallet" => "WLT-" + r.Hex(12),
        _ => null,
    };

    private string Reference() => _source switch
    {
        PaymentSource.Voucherly => "ORD-" + r.Digits(8),
        PaymentSource.EComCharge => $"WEB-{_created:yyMMdd}-{r.Digits(5)}",
        PaymentSource.Vcc => $"VCC-{r.Between(100000, 999999)}",
        _ => r.Digits(9),
    };

    private PaymentCustomer Customer() => _source == PaymentSource.Vcc
        // A caller gives a name and a phone number; the email only sometimes.
        ? PaymentCustomer.Create(firstName: _customer.FirstName, lastName: _customer.LastName, phoneNumber: _customer.Phone,
            email: r.Percent(40) ? _customer.Email : null)
        : PaymentCustomer.Create(_customer.Id, _customer.Email, _customer.FirstName, _customer.LastName,
            r.Percent(60) ? _customer.Phone : null, r.Percent(20) ? "pm_" + r.Hex(12) : null);

    private List<KeyValuePair<string, string>> Metadata() => _source switch
    {
        PaymentSource.Voucherly => [new("channel", r.Pick(["web", "app", "kiosk"])), new("storeId", "store-" + r.Between(1, 40).ToString("D3", CultureInfo.InvariantCulture))],
        PaymentSource.EComCharge => [new("shop", "webshop"), new("language", _customer.Market.Country.ToLowerInvariant())],
        PaymentSource.Vcc => [new("campaign", r.Pick(["inbound-sales", "renewals", "ticket-hotline"]))],
        _ => [new("subscriptionId", "sub_" + r.Hex(10)), new("subscriptionCycle", r.Between(1, 24).ToString(CultureInfo.InvariantCulture)), new("subscriptionStatus", "active")],
    };

    private void NewCard()
    {
        var (brand, bin, length, product) = r.Pick(DemoCatalog.Cards);
        _card = (brand, bin, length, product, r.Digits(4), r.Between(1, 12), _end.Year + r.Between(0, 5));
    }

    /// <summary>Card details as a gateway reports them: masked (first six and last four), never a full number.</summary>
    private CardDetails Card()
    {
        var masked = _source == PaymentSource.Vcc
            ? new string('*', _card.Length - 4) + _card.Last4 // the contact centre sends only the trailing four and the length
            : _card.Bin + new string('*', _card.Length - 10) + _card.Last4;
        return CardDetails.Create(masked, brand: _card.Brand, expirationMonth: _card.Month, expirationYear: _card.Year, product: _card.Product);
    }

    private DirectDebitDetails DirectDebitAccount()
    {
        var prefix = _customer.Market.IbanPrefix is { Length: > 0 } p ? p : "DE89";
        var length = prefix.StartsWith("DE", StringComparison.Ordinal) ? 22 : 24;
        var masked = prefix + new string('*', length - 8) + r.Digits(4);
        var bic = _customer.Market.Bic is { Length: > 0 } b ? b : "COBADEFFXXX";
        return DirectDebitDetails.Create(masked, "ba_" + r.Hex(12), bic);
    }

    /// <summary>A shop price in the customer's currency from a price in euro cents: ".99" endings, whole forints, tens of yen, fils in fifties.</summary>
    private long Price(decimal euroCents)
    {
        var major = euroCents / 100m * _customer.Market.PerEuro;
        return Currency.Code switch
        {
            "JPY" => Math.Max(10, (long)Math.Round(major / 10m) * 10),
            "HUF" or "CZK" or "SEK" => Math.Max(10, (long)Math.Round(major / 10m) * 10 - (major > 100 ? 10 : 0)) * Currency.MinorPerMajor,
            "BHD" => Math.Max(50, (long)Math.Round(major * 20m) * 50),
            _ => Math.Max(99, (long)Math.Round(major) * 100 - r.Pick(new[] { 1L, 1L, 10L, 50L, 0L })),
        };
    }

    /// <summary>Rounds a computed amount to a sensible minor unit for the currency (whole forints, tens of yen).</summary>
    private long RoundMinor(long amount) => Currency.Code switch
    {
        "HUF" or "CZK" or "SEK" => amount / 100 * 100,
        "JPY" => amount / 10 * 10,
        _ => amount,
    };
}
