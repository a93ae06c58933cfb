using System.Globalization;
using CsvHelper;
using Portal.Domain.Money;
using Portal.Payments;
using Portal.Tests.Domain.Builders;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

public sealed class CsvExportTests
{
    private static async Task<List<Dictionary<string, string>>> ExportAsync(TestDatabase db, PaymentListState state)
    {
        var writer = new StringWriter();
        var count = await CsvExport.WritePaymentsAsync(writer, new PaymentListQueries(db).ExportAsync(state, TimeZoneInfo.Utc), null, default);
        using var csv = new CsvReader(new StringReader(writer.ToString()), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await csv.ReadAsync();
        csv.ReadHeader();
        Assert.Equal(CsvExport.PaymentHeader, csv.HeaderRecord);
        while (await csv.ReadAsync())
            rows.Add(CsvExport.PaymentHeader.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        Assert.Equal(count, rows.Count);
        return rows;
    }

    [Fact]
    public async Task ExportPayments_RowsEqualTheListRowsInTheSameOrder()
    {
        using var db = await ListTestData.SeedAsync();
        foreach (var state in new[]
                 {
                     PaymentListState.Default,
                     PaymentListState.Default with { Sort = PaymentSort.Amount, Descending = false },
                     PaymentListState.Parse("?currency=EUR&q=4242").State,
                 })
        {
            var page = await new PaymentListQueries(db).ListAsync(state with { Size = 100 }, TimeZoneInfo.Utc, true);
            var rows = await ExportAsync(db, state);
            Assert.Equal(page.Rows.Select(r => r.Id), rows.Select(r => r["PaymentId"]));
            Assert.Equal(page.Rows.Select(r => r.Final.ToInvariantString()), rows.Select(r => r["FinalAmount"]));
        }
    }

    [Fact]
    public async Task ExportPayments_AmountsAreDecimalsInEachCurrencysExponent()
    {
        using var db = await ListTestData.SeedAsync();
        var rows = (await ExportAsync(db, PaymentListState.Default)).ToDictionary(r => r["PaymentId"]);

        var jpy = rows[ListTestData.Bob().Id];
        Assert.Equal(("JPY", "1500", "1500", "0"), (jpy["Currency"], jpy["FinalAmount"], jpy["RemainingAmount"], jpy["PaidAmount"]));
        var bhd = rows[ListTestData.Carla().Id];
        Assert.Equal(("BHD", "12.345", "12.345", "0.000"), (bhd["Currency"], bhd["FinalAmount"], bhd["PaidAmount"], bhd["RemainingAmount"]));
        var eur = rows[ListTestData.Anna().Id];
        Assert.Equal(("EUR", "25.00", "25.00", "0.00"), (eur["Currency"], eur["TotalAmount"], eur["FinalAmount"], eur["DiscountAmount"]));
        Assert.Equal("2026-11-20T12:00:00.000Z", eur["CreatedAtUtc"]);
        Assert.Equal("true", rows[ListTestData.Dino().Id]["TotalsMismatch"]);
        Assert.Equal("true", bhd["InCall"]);
        Assert.Equal(ListTestData.CallUuid, bhd["CallUuid"]);
    }

    [Fact]
    public async Task ExportPayments_TextWithCommasAndQuotes_IsQuoted()
    {
        using var db = await ListTestData.SeedAsync([
            PaymentBuilder.APayment().WithReference("A,\"B\"").WithCustomer("x@example.com", "Zoë", "O'Neil, Jr.").WithLine(100).Build(),
        ]);
        var row = Assert.Single(await ExportAsync(db, PaymentListState.Default));
        Assert.Equal("A,\"B\"", row["ReferenceId"]);
        Assert.Equal("Zoë O'Neil, Jr.", row["CustomerName"]);
    }

    [Fact]
    public async Task ExportTransactions_RowsMatchTheTransactionListWithDecimalAmounts()
    {
        using var db = await ListTestData.SeedAsync();
        var queries = new TransactionListQueries(db);
        var page = await queries.ListAsync(TransactionListState.Default, TimeZoneInfo.Utc, true);
        var writer = new StringWriter();
        var count = await CsvExport.WriteTransactionsAsync(writer, queries.ExportAsync(TransactionListState.Default, TimeZoneInfo.Utc), null, default);
        var lines = writer.ToString().TrimEnd('\n').Split('\n');

        Assert.Equal(page.Total, (int)count);
        Assert.Equal(string.Join(",", CsvExport.TransactionHeader), lines[0]);
        Assert.Equal(page.Rows.Select(r => r.Id), lines.Skip(1).Select(l => l.Split(',')[0]));
        var carla = lines.Single(l => l.StartsWith("txn_01JCARLA", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("BHD", "12.345", "1881"), (carla[5], carla[6], carla[12]));
        Assert.Equal(new Money(12345, Currency.BHD).ToInvariantString(), carla[7]);
    }

    [Fact]
    public async Task ExportPayments_ReportsProgressAndTheFinalCount()
    {
        var payments = Enumerable.Range(0, 4500)
            .Select(i => PaymentBuilder.APayment().CreatedAt(PaymentBuilder.T0.AddSeconds(i)).WithLine(100 + i).Build());
        using var db = await ListTestData.SeedAsync(payments);
        var reported = new List<long>();
        var count = await CsvExport.WritePaymentsAsync(TextWriter.Null, new PaymentListQueries(db).ExportAsync(PaymentListState.Default, TimeZoneInfo.Utc),
            reported.Add, default);
        Assert.Equal(4500, count);
        Assert.Equal([2000, 4000, 4500], reported);
    }
}
