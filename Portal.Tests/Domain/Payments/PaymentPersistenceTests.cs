using System.Collections;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Money;
using Portal.Domain.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Domain.Payments;

public sealed class PaymentPersistenceTests
{
    private static readonly DateTime At = PaymentBuilder.T0.AddHours(1);

    [Fact]
    public void SaveAndLoad_FullPayment_ReadsBackEqual()
    {
        using var db = TestDatabase.CreateMigrated();
        var saved = AFullPayment();
        using (var context = db.CreateDbContext())
        {
            context.Add(saved);
            context.SaveChanges();
        }

        using var read = db.CreateDbContext();
        var loaded = read.Set<Payment>().WithAggregateAndHistory().Single(p => p.Id == saved.Id);

        AssertDeepEqual(saved, loaded, "payment");
        Assert.All(loaded.Transactions, t => Assert.Same(loaded, t.Payment));
        Assert.Equal(DateTimeKind.Utc, loaded.CreatedAtUtc.Kind);
    }

    [Fact]
    public void SaveAndLoad_OptionalOwnedValuesAbsent_ReadBackAsNull()
    {
        using var db = TestDatabase.CreateMigrated();
        var saved = PaymentBuilder.APayment().WithLine(100).WithTransaction().Build();
        using (var context = db.CreateDbContext())
        {
            context.Add(saved);
            context.SaveChanges();
        }

        using var read = db.CreateDbContext();
        var loaded = read.Set<Payment>().WithAggregate().Single();

        Assert.NotNull(loaded.Customer);
        Assert.Null(loaded.Customer.Email);
        Assert.Null(loaded.CloseCheckout);
        Assert.Null(loaded.Callback);
        Assert.Empty(loaded.Metadata);
        var transaction = loaded.Transactions.Single();
        Assert.Null(transaction.Card);
        Assert.Null(transaction.DirectDebit);
        Assert.Null(transaction.Error);
        Assert.Null(transaction.NextAction);
    }

    [Fact]
    public void LoadedAggregate_ChangedAndSaved_PersistsStatusAmountsAndHistory()
    {
        using var db = TestDatabase.CreateMigrated();
        var id = Save(db, PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build());

        using (var context = db.CreateDbContext())
        {
            var payment = context.Set<Payment>().WithAggregate().Single(p => p.Id == id);
            payment.Transactions[0].RecordRefund(1_000, "ui:admin", At);
            context.SaveChanges();
        }

        using var read = db.CreateDbContext();
        var loaded = read.Set<Payment>().WithAggregateAndHistory().Single(p => p.Id == id);
        Assert.Equal(PaymentStatus.Refunded, loaded.Status);
        Assert.Equal(TransactionStatus.Refunded, loaded.Transactions[0].Status);
        Assert.Equal(1_000, loaded.Transactions[0].RefundedAmount);
        Assert.Contains(loaded.StatusChanges, c => c.ToStatus == "Refunded" && c.TransactionId == loaded.Transactions[0].Id);
        Assert.Contains(loaded.StatusChanges, c => c.ToStatus == "Refunded" && c.TransactionId is null && c.Source == Payment.DerivedSource);
    }

    [Fact]
    public void ConcurrentRefunds_OnTheSameTransaction_SecondSaveFails()
    {
        using var db = TestDatabase.CreateMigrated();
        var id = Save(db, PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build());
        using var first = db.CreateDbContext();
        using var second = db.CreateDbContext();
        var a = first.Set<Payment>().WithAggregate().Single(p => p.Id == id);
        var b = second.Set<Payment>().WithAggregate().Single(p => p.Id == id);

        a.Transactions[0].RecordRefund(800, "ui:alice", At);
        b.Transactions[0].RecordRefund(800, "ui:bob", At);
        first.SaveChanges();

        Assert.Throws<DbUpdateConcurrencyException>(() => second.SaveChanges());
        using var read = db.CreateDbContext();
        Assert.Equal(800, read.Set<PaymentTransaction>().Single().RefundedAmount);
    }

    [Fact]
    public void TrackingId_UsedTwice_IsRejectedByTheDatabase()
    {
        using var db = TestDatabase.CreateMigrated();
        Save(db, PaymentBuilder.APayment().WithLine(100).WithTransaction(t => t with { TrackingId = "cycle-42" }).Build());

        var duplicate = PaymentBuilder.APayment().WithLine(100).WithTransaction(t => t with { TrackingId = "cycle-42" }).Build();

        Assert.Throws<DbUpdateException>(() => Save(db, duplicate));
    }

    [Fact]
    public void TrackingId_ManyNulls_AreAllowed()
    {
        using var db = TestDatabase.CreateMigrated();
        Save(db, PaymentBuilder.APayment().WithLine(100).WithTransaction().WithTransaction().Build());
        Save(db, PaymentBuilder.APayment().WithLine(100).WithTransaction().Build());

        using var read = db.CreateDbContext();
        Assert.Equal(3, read.Set<PaymentTransaction>().Count(t => t.TrackingId == null));
    }

    [Fact]
    public void DeletePayment_CascadesToItsParts()
    {
        using var db = TestDatabase.CreateMigrated();
        var id = Save(db, AFullPayment());

        using (var context = db.CreateDbContext())
            context.Set<Payment>().Where(p => p.Id == id).ExecuteDelete();

        using var read = db.CreateDbContext();
        Assert.Equal(0, read.Set<PaymentLine>().Count() + read.Set<PaymentDiscount>().Count()
            + read.Set<PaymentTransaction>().Count() + read.Set<PaymentStatusChange>().Count());
    }

    [Fact]
    public void Queries_ByIndexedSearchColumns_FindThePayment()
    {
        using var db = TestDatabase.CreateMigrated();
        var id = Save(db, AFullPayment());

        using var read = db.CreateDbContext();
        Assert.Equal(id, read.Set<Payment>().Single(p => p.CustomerEmailNormalized == "ann.smith@example.com").Id);
        Assert.Equal(id, read.Set<Payment>().Single(p => p.Currency == Currency.HUF).Id);
        Assert.Equal(id, read.Set<PaymentTransaction>().Where(t => t.CardLast4 == "1111").Select(t => t.Payment!.Id).Single());
        Assert.Equal(id, read.Set<Payment>().Single(p => p.CallUuid == "call-7f3a").Id);
    }

    [Fact]
    public void ChangeTransaction_LoadedWithoutItsPayment_IsRefused()
    {
        using var db = TestDatabase.CreateMigrated();
        Save(db, PaymentBuilder.APayment().WithLine(1_000).WithConfirmedTransaction(1_000).Build());

        using var context = db.CreateDbContext();
        var transaction = context.Set<PaymentTransaction>().Single();

        Assert.Throws<InvalidOperationException>(() => transaction.RecordRefund(10, "ui:admin", At));
    }

    private static string Save(TestDatabase db, Payment payment)
    {
        using var context = db.CreateDbContext();
        context.Add(payment);
        context.SaveChanges();
        return payment.Id;
    }

    private static Payment AFullPayment()
    {
        var payment = PaymentBuilder.APayment()
            .InCurrency(Currency.HUF)
            .WithReference("cart-1001")
            .With(p => p with
            {
                Tenant = PaymentTenant.Sand,
                Mode = PaymentMode.Payment,
                Source = PaymentSource.Voucherly,
                ParentPaymentId = "pay_parent",
                CompanyId = "cmp_1",
                Customer = PaymentCustomer.Create("cus_1", "Ann.Smith@Example.com", "Ann", "Smith", "+36 1 234 5678", "pm_1"),
                SelectedGatewayId = "gw_card",
                CheckoutUrl = "https://checkout.example/pay/1",
                CallUuid = "call-7f3a",
                AgentName = "Agent Kim",
                ProjectId = "proj-9",
                InCall = true,
            })
            .WithMetadata(("order", "A-1001"), ("channel", "phone"))
            .WithLine(new NewPaymentLine
            {
                Quantity = 2, UnitAmount = 150_000, UnitDiscountAmount = 5_000, DiscountAmount = 1_000, ProductId = "prd_1",
                ProductName = "Lunch menu", ProductVariant = "Large", ProductImage = "https://img.example/1.png",
                ProductExternalId1 = "SKU-1", ProductExternalId2 = "EAN-1", TaxRate = 27m, IsFood = true, IsGift = false,
            })
            .WithLine(30_000, name: "Gift card")
            .WithPercentOff(12.5m, index: 1)
            .WithDiscount(new NewPaymentDiscount { Name = "Welcome", Description = "First order", Amount = 2_500, Index = 0 })
            .WithTransaction(t => t with
            {
                Status = TransactionStatus.Failed,
                Gateway = new GatewayRef("gw_card", "Visa", 1, CheckoutAction.Redirect, "https://img.example/visa.png", "https://img.example/visa.ico"),
                Error = TransactionError.Create(TransactionErrorCode.Declined, "Do not honour", "05"),
                NextAction = NextActionRequest.Create(CheckoutAction.Redirect, "3ds-1", "https://acs.example/1"),
                DirectDebit = DirectDebitDetails.Create("DE89370400440532013000", "acc_1", "COBADEFFXXX"),
            })
            .WithTransaction(t => t with
            {
                Status = TransactionStatus.Confirmed,
                Gateway = new GatewayRef("gw_card", "Visa"),
                RequestedAmount = 250_000, ProcessedAmount = 250_000, VoucherAmount = 50_000, NoOfVouchers = 2, ConfirmedAmount = 250_000,
                ExternalId1 = "ext-1", ExternalId2 = "ext-2", ExternalId3 = "ext-3", IsWallet = true,
                Card = CardDetails.Create("4111111111111111", brand: "Visa", expirationMonth: 12, expirationYear: 2030, product: "Visa Classic"),
                HolderName = "Ann Smith", HolderEmail = "ann@example.com",
                TrackingId = "trk-1001", CardTokenProtected = "CfDJ8-protected-token",
            })
            .WithReportedTotals(new ReportedTotals(TotalAmount: 319_000, FinalAmount: 1))
            .Build();
        payment.Transactions[1].RecordRefund(10_000, "ui:admin", At);
        payment.RecordCheckoutClosed(true, At);
        payment.RecordCallback(false, At.AddMinutes(1));
        payment.Transactions[0].ApplyReportedStatus(TransactionStatus.Paid, "poller:voucherly", At.AddMinutes(2));
        return payment;
    }

    /// <summary>
    /// Compares every public property of the domain objects recursively, so a field added to the
    /// model but forgotten in the mapping fails this test without anyone updating it.
    /// </summary>
    private static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }
        var type = expected.GetType();
        if (type.Namespace?.StartsWith("Portal.Domain.Payments", StringComparison.Ordinal) == true && !type.IsEnum && expected is not IEnumerable)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.PropertyType == typeof(Payment)) continue;
                AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            }
            return;
        }
        if (expected is IEnumerable list and not string)
        {
            var e = list.Cast<object?>().ToList();
            var a = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(e.Count == a.Count, $"{path}: {e.Count} items expected, {a.Count} read back");
            for (var i = 0; i < e.Count; i++) AssertDeepEqual(e[i], a[i], $"{path}[{i}]");
            return;
        }
        Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}");
    }
}
