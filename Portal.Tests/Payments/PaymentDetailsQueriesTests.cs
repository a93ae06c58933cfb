using System.Globalization;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;
using Portal.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

public sealed class PaymentDetailsQueriesTests
{
    private static readonly DateTime T0 = PaymentBuilder.T0;

    [Fact]
    public async Task Get_UnknownId_ReturnsNull()
    {
        using var db = await ListTestData.SeedAsync();
        var queries = new PaymentDetailsQueries(db);
        Assert.Null(await queries.GetAsync("pay_nope"));
        Assert.Null(await queries.GetAsync(""));
        Assert.Null(await queries.GetAsync(new string('x', 300)));
    }

    [Fact]
    public async Task Get_Payment_HasPartsRecomputedTotalsAndDiscountSteps()
    {
        var payment = PaymentBuilder.APayment()
            .WithLine(1000, quantity: 3, unitDiscountAmount: 100)          // 2700
            .WithLine(500, discountAmount: 50)                            // 450 → total 3150
            .WithPercentOff(10, index: 1)                                 // second: 10 % of 3050 = 305
            .WithDollarOff(100, index: 0)                                 // first: 100 → 3050
            .WithConfirmedTransaction(2745)
            .WithReportedTotals(new ReportedTotals(TotalAmount: 3150, FinalAmount: 2800))
            .Build();
        using var db = await ListTestData.SeedAsync([payment]);

        var details = await new PaymentDetailsQueries(db).GetAsync(payment.Id);

        Assert.NotNull(details);
        Assert.Equal(2, details.Payment.Lines.Count);
        Assert.Single(details.Payment.Transactions);
        Assert.Equal((3150, 405, 2745, 2745, 0), (details.Recomputed.TotalAmount, details.Recomputed.DiscountAmount,
            details.Recomputed.FinalAmount, details.Recomputed.PaidAmount, details.Recomputed.RemainingAmount));
        Assert.True(details.Payment.TotalsMismatch);
        Assert.Equal(2800, details.Payment.ReportedFinalAmount);
        Assert.Equal([(DiscountType.DollarOff, 100L, 3050L), (DiscountType.PercentOff, 305L, 2745L)],
            details.Discounts.Select(d => (d.Discount.Type!.Value, d.Applied, d.RunningTotal)));
    }

    [Fact]
    public async Task Get_Timeline_MergesHistoryAuditAndCallbacksNewestFirst()
    {
        var payment = PaymentBuilder.APayment().WithLine(1000)
            .WithTransaction(t => t with { Id = "txn_T1", Status = TransactionStatus.Requested, RequestedAmount = 1000, CreatedAtUtc = T0.AddMinutes(1) })
            .Build();
        var transaction = payment.FindTransaction("txn_T1");
        transaction.ApplyReportedStatus(TransactionStatus.Confirmed, "webhook:ecomcharge", T0.AddMinutes(5));
        transaction.ApplyReportedStatus(TransactionStatus.Requested, "poller:ecomcharge", T0.AddMinutes(7)); // refused
        using var db = await ListTestData.SeedAsync([payment]);
        await using (var context = db.CreateDbContext())
        {
            var delivery = new WebhookDelivery(WebhookSource.EComCharge, "uid-1:successful", "uid-1", "successful", "{\"card\":\"****\"}", T0.AddMinutes(5));
            delivery.MarkApplied(payment.Id, T0.AddMinutes(5));
            context.Add(delivery);
            new AuditTrail(new FixedClock(new DateTimeOffset(T0.AddMinutes(6)))).Record(context, Actor.User("u1", "admin@portal.local"),
                "refund.requested", "transaction", "txn_T1", payment.Id, amountBefore: 0, amountAfter: 500, currency: "EUR", details: "Customer asked");
            await context.SaveChangesAsync();
        }

        var details = await new PaymentDetailsQueries(db).GetAsync(payment.Id);

        var timeline = details!.Timeline;
        Assert.Equal(TimelineKind.RefusedStatusChange, timeline[0].Kind);
        Assert.Equal(T0.AddMinutes(7), timeline[0].AtUtc);
        Assert.Equal(TimelineKind.Audit, timeline[1].Kind);
        Assert.Equal("admin@portal.local (ui)", timeline[1].Who);
        // At T0+5 the callback caused the changes: the changes are listed above the callback.
        var atFive = timeline.Where(e => e.AtUtc == T0.AddMinutes(5)).ToList();
        Assert.Equal(TimelineKind.Webhook, atFive[^1].Kind);
        Assert.All(atFive.SkipLast(1), e => Assert.Equal(TimelineKind.StatusChange, e.Kind));
        Assert.NotNull(atFive[^1].WebhookDeliveryId);
        Assert.Equal(TimelineKind.StatusChange, timeline[^1].Kind);
        Assert.Equal("Payment created as Requested", timeline[^1].Title);
        Assert.True(timeline.Zip(timeline.Skip(1)).All(p => p.First.AtUtc >= p.Second.AtUtc));
    }

    [Fact]
    public async Task WebhookPayload_OnlyForThePaymentItBelongsTo()
    {
        using var db = await ListTestData.SeedAsync();
        long id;
        await using (var context = db.CreateDbContext())
        {
            var delivery = new WebhookDelivery(WebhookSource.Vcc, "k1", "x1", "successful", "{\"pan\":\"411111******1111\"}", T0);
            delivery.MarkApplied(ListTestData.Anna().Id, T0);
            context.Add(delivery);
            await context.SaveChangesAsync();
            id = delivery.Id;
        }
        var queries = new PaymentDetailsQueries(db);
        Assert.Equal("{\"pan\":\"411111******1111\"}", await queries.WebhookPayloadAsync(ListTestData.Anna().Id, id));
        Assert.Null(await queries.WebhookPayloadAsync(ListTestData.Bob().Id, id));
    }

    [Fact]
    public void Timeline_SameInstant_OrdersCallbackBelowActionsBelowStatusChanges()
    {
        var payment = PaymentBuilder.APayment().WithLine(100).Build();
        var merged = PaymentTimeline.Merge(payment.StatusChanges, [],
            [new WebhookTimelineItem(1, WebhookSource.Vcc, "successful", T0, WebhookDeliveryStatus.Applied, null),
             new WebhookTimelineItem(2, WebhookSource.Vcc, "successful", T0.AddSeconds(-1), WebhookDeliveryStatus.Failed, "unknown")]);
        Assert.Equal([TimelineKind.StatusChange, TimelineKind.Webhook, TimelineKind.Webhook], merged.Select(e => e.Kind));
        Assert.Equal([1L, 2L], merged.Skip(1).Select(e => e.WebhookDeliveryId!.Value));
    }

    [Fact]
    public void Timeline_AuditEntries_ShowTheirSentenceOrAmounts_NeverTheRawJson()
    {
        var admin = Actor.User("u1", "admin@portal.local");
        AuditEntry[] audits =
        [
            new(T0, admin, "refund.succeeded", "refund", "rf_1", "pay_1", null, "{\"status\":\"Succeeded\",\"amount\":6000}", 4000, 10000, "EUR",
                "Refund of 60.00 EUR succeeded."),
            new(T0.AddSeconds(-1), admin, "payment.adjusted", "payment", "pay_1", "pay_1", "{\"a\":1}", "{\"a\":2}", 1234, 5000, "JPY", null),
        ];

        var merged = PaymentTimeline.Merge([], audits, []);

        Assert.Equal("Refund of 60.00 EUR succeeded.", merged[0].Detail);
        Assert.Equal($"{1234.ToString("N0", CultureInfo.CurrentCulture)} JPY → {5000.ToString("N0", CultureInfo.CurrentCulture)} JPY", merged[1].Detail);
        Assert.DoesNotContain(merged, e => e.Detail!.Contains('{', StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransactionList_SearchAndFilters_UseTheirColumns()
    {
        using var db = await ListTestData.SeedAsync();
        var queries = new TransactionListQueries(db);
        async Task<List<string>> Ids(TransactionListFilter f) =>
            (await queries.ListAsync(new TransactionListState(f), TimeZoneInfo.Utc, true)).Rows.Select(r => r.Id).ToList();

        Assert.Equal(["txn_01JANNA0000000000000000001", "txn_01JETTORE00000000000000005"], await Ids(new() { Search = "4242" }));
        Assert.Equal(["txn_01JANNA0000000000000000001"], await Ids(new() { Search = "ECM-UID-777" }));
        Assert.Equal(["txn_01JCARLA000000000000000003"], await Ids(new() { Search = "trk-carla-1" }));
        Assert.Equal(["txn_01JETTORE00000000000000005"], await Ids(new() { Search = "txn_01jettore" }));
        Assert.Equal(["txn_01JCARLA000000000000000003"], await Ids(new() { Search = "pay_01JCARLA000000000000000003" }));
        Assert.Equal(["txn_01JETTORE00000000000000005"], await Ids(new() { Statuses = [TransactionStatus.Failed] }));
        Assert.Equal(["txn_01JCARLA000000000000000003"], await Ids(new() { Currency = Currency.BHD }));
        Assert.Equal(["txn_01JCARLA000000000000000003"], await Ids(new() { Gateway = "vcc" }));
        Assert.Equal(["txn_01JCARLA000000000000000003"], await Ids(new() { Min = 12.345m, Max = 12.345m, Currency = Currency.BHD }));
        Assert.Equal(["txn_01JANNA0000000000000000001", "txn_01JCARLA000000000000000003"], await Ids(new() { Max = 100m }));
        var day = DateOnly.FromDateTime(ListTestData.Day);
        Assert.Equal(["txn_01JANNA0000000000000000001"], await Ids(new() { From = day, To = day }));
        Assert.Equal(["ecomcharge", "vcc"], await queries.GatewaysAsync());

        var sorted = await queries.ListAsync(new TransactionListState(new(), TransactionSort.Amount, Descending: false), TimeZoneInfo.Utc, false);
        Assert.Equal([2500L, 12000, 12345], sorted.Rows.Select(r => r.RequestedAmount));
        var failed = sorted.Rows.Single(r => r.Status == TransactionStatus.Failed);
        Assert.Equal((TransactionErrorCode.Declined, "Insufficient funds", "Visa"), (failed.ErrorCode!.Value, failed.ErrorMessage, failed.CardBrand));
    }
}
