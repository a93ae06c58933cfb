using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Portal.Domain.Money;

namespace Portal.Recurring;

/// <summary>
/// CSV of the filtered schedules (<c>GET /recurring/export.csv</c> with the list's query string):
/// amounts as decimals in the currency's exponent next to the ISO code, times UTC ISO 8601,
/// invariant culture, the card as brand and last four only. Rows stream from the reader.
/// </summary>
public static class RecurringCsv
{
    public static string[] Header { get; } =
    [
        "ScheduleId", "Status", "Amount", "Currency", "Description", "Interval", "NextCycle", "NextChargeAtUtc", "CardBrand", "CardLast4",
        "CustomerEmail", "CustomerName", "SucceededCycles", "FailedAttempts", "LastChargedAtUtc", "LastFailureAtUtc", "SourcePaymentId",
        "CreatedAtUtc", "StatusReason",
    ];

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture) { NewLine = "\n", InjectionOptions = InjectionOptions.Escape };

    public static async Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<RecurringListRow> rows, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var h in Header) csv.WriteField(h);
        await csv.NextRecordAsync();
        long count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(r.Id);
            csv.WriteField(r.Status.ToString());
            csv.WriteField(Amount(r.AmountMinor, r.Currency));
            csv.WriteField(r.Currency);
            csv.WriteField(r.Description);
            csv.WriteField(r.Interval);
            csv.WriteField(r.NextCycleNumber.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(Utc(r.NextChargeAtUtc));
            csv.WriteField(r.CardBrand);
            csv.WriteField(r.CardLast4);
            csv.WriteField(r.CustomerEmail);
            csv.WriteField(r.CustomerName);
            csv.WriteField(r.SucceededCycles.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(r.FailedAttempts.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(Utc(r.LastChargedAtUtc));
            csv.WriteField(Utc(r.LastFailureAtUtc));
            csv.WriteField(r.SourcePaymentId);
            csv.WriteField(Utc(r.CreatedAtUtc));
            csv.WriteField(r.StatusReason);
            await csv.NextRecordAsync();
            if (++count % 2000 == 0) await csv.FlushAsync();
        }
        await csv.FlushAsync();
        return count;
    }

    private static string Amount(long minor, string currency)
    {
        var c = Currency.Parse(currency);
        return c.Exponent == 0
            ? minor.ToString(CultureInfo.InvariantCulture)
            : (minor / (decimal)c.MinorPerMajor).ToString("F" + c.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Utc(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
