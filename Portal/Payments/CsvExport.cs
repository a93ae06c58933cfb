using System.Globalization;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Portal.Domain.Money;

namespace Portal.Payments;

/// <summary>
/// CSV exports of the filtered lists: <c>GET /payments/export.csv</c> and
/// <c>GET /transactions/export.csv</c> take the list page's own query string (plus <c>tz</c>,
/// the viewer's time zone for the date filter, and <c>exportId</c> for the page's progress).
/// Rows stream from the database reader straight into the response, so memory stays flat for
/// any size. Amounts are decimals in the currency's exponent ("12.40", "1240", "1.240") next to
/// the ISO code; times are UTC ISO 8601; invariant culture throughout.
/// </summary>
public static class CsvExport
{
    private const int FlushEvery = 2000;

    public static IEndpointRouteBuilder MapPaymentExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/export.csv", ExportPaymentsAsync).RequireAuthorization();
        app.MapGet("/transactions/export.csv", ExportTransactionsAsync).RequireAuthorization();
        return app;
    }

    public static string[] PaymentHeader { get; } =
    [
        "PaymentId", "CreatedAtUtc", "Status", "Currency", "TotalAmount", "DiscountAmount", "FinalAmount", "PaidAmount",
        "RemainingAmount", "CustomerName", "CustomerEmail", "ReferenceId", "Gateway", "Mode", "Tenant", "Source", "InCall",
        "CallUuid", "TotalsMismatch",
    ];

    public static string[] TransactionHeader { get; } =
    [
        "TransactionId", "PaymentId", "CreatedAtUtc", "Status", "Gateway", "Currency", "RequestedAmount", "ProcessedAmount",
        "VoucherAmount", "ConfirmedAmount", "RefundedAmount", "CardBrand", "CardLast4", "MaskedIban", "ErrorCode",
        "GatewayTransactionId", "TrackingId",
    ];

    /// <summary>Writes the header and every row; reports the running row count. Returns the number of rows.</summary>
    public static async Task<long> WritePaymentsAsync(TextWriter writer, IAsyncEnumerable<PaymentExportRow> rows,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var h in PaymentHeader) csv.WriteField(h);
        await csv.NextRecordAsync();
        long count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(r.Id);
            csv.WriteField(Utc(r.CreatedAtUtc));
            csv.WriteField(r.Status.ToString());
            csv.WriteField(r.Currency.Code);
            csv.WriteField(Amount(r.TotalAmount, r.Currency));
            csv.WriteField(Amount(r.DiscountAmount, r.Currency));
            csv.WriteField(Amount(r.FinalAmount, r.Currency));
            csv.WriteField(Amount(r.PaidAmount, r.Currency));
            csv.WriteField(Amount(r.RemainingAmount, r.Currency));
            csv.WriteField(r.CustomerName);
            csv.WriteField(r.CustomerEmail);
            csv.WriteField(r.ReferenceId);
            csv.WriteField(r.Gateway);
            csv.WriteField(r.Mode.ToString());
            csv.WriteField(r.Tenant.ToString());
            csv.WriteField(r.Source.ToString());
            csv.WriteField(r.InCall ? "true" : "false");
            csv.WriteField(r.CallUuid);
            csv.WriteField(r.TotalsMismatch ? "true" : "false");
            await csv.NextRecordAsync();
            if (++count % FlushEvery == 0)
            {
                await csv.FlushAsync();
                await writer.FlushAsync(cancellationToken);
                progress?.Invoke(count);
            }
        }
        await csv.FlushAsync();
        await writer.FlushAsync(cancellationToken);
        progress?.Invoke(count);
        return count;
    }

    public static async Task<long> WriteTransactionsAsync(TextWriter writer, IAsyncEnumerable<TransactionExportRow> rows,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var h in TransactionHeader) csv.WriteField(h);
        await csv.NextRecordAsync();
        long count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            csv.WriteField(r.Id);
            csv.WriteField(r.PaymentId);
            csv.WriteField(Utc(r.CreatedAtUtc));
            csv.WriteField(r.Status.ToString());
            csv.WriteField(r.GatewayId);
            csv.WriteField(r.Currency.Code);
            csv.WriteField(Amount(r.RequestedAmount, r.Currency));
            csv.WriteField(Amount(r.ProcessedAmount, r.Currency));
            csv.WriteField(Amount(r.VoucherAmount, r.Currency));
            csv.WriteField(Amount(r.ConfirmedAmount, r.Currency));
            csv.WriteField(Amount(r.RefundedAmount, r.Currency));
            csv.WriteField(r.CardBrand);
            csv.WriteField(r.CardLast4);
            csv.WriteField(r.MaskedIban);
            csv.WriteField(r.ErrorCode?.ToString());
            csv.WriteField(r.ExternalId1);
            csv.WriteField(r.TrackingId);
            await csv.NextRecordAsync();
            if (++count % FlushEvery == 0)
            {
                await csv.FlushAsync();
                await writer.FlushAsync(cancellationToken);
                progress?.Invoke(count);
            }
        }
        await csv.FlushAsync();
        await writer.FlushAsync(cancellationToken);
        progress?.Invoke(count);
        return count;
    }

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    private static string Amount(long minor, Currency currency) => new Money(minor, currency).ToInvariantString();

    private static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task ExportPaymentsAsync(HttpContext http, PaymentListQueries queries, ExportProgress progress,
        TimeProvider clock, ILoggerFactory loggers)
    {
        var state = PaymentListState.Parse(http.Request.QueryString.Value).State;
        var zone = LocalDateRange.Zone(http.Request.Query["tz"]);
        await StreamAsync(http, progress, clock, loggers, "payments",
            (writer, report, ct) => WritePaymentsAsync(writer, queries.ExportAsync(state, zone, ct), report, ct));
    }

    private static async Task ExportTransactionsAsync(HttpContext http, TransactionListQueries queries, ExportProgress progress,
        TimeProvider clock, ILoggerFactory loggers)
    {
        var state = TransactionListState.Parse(http.Request.QueryString.Value).State;
        var zone = LocalDateRange.Zone(http.Request.Query["tz"]);
        await StreamAsync(http, progress, clock, loggers, "transactions",
            (writer, report, ct) => WriteTransactionsAsync(writer, queries.ExportAsync(state, zone, ct), report, ct));
    }

    private static async Task StreamAsync(HttpContext http, ExportProgress progress, TimeProvider clock, ILoggerFactory loggers,
        string what, Func<TextWriter, Action<long>, CancellationToken, Task<long>> write)
    {
        var logger = loggers.CreateLogger(typeof(CsvExport));
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var exportId = http.Request.Query["exportId"].ToString();
        var status = ExportProgress.IsValidId(exportId) ? progress.Start(exportId, userId) : null;
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{what}-{stamp}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
            var rows = await write(writer, n => status?.Wrote(n), http.RequestAborted);
            status?.Finish();
            logger.LogInformation("Exported {Rows} {What} rows in {ElapsedMs} ms for user {UserId}", rows, what,
                (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, userId);
        }
        catch (OperationCanceledException)
        {
            status?.Finish("The download was cancelled.");
        }
        catch (Exception e)
        {
            status?.Finish("The export failed; the error was logged.");
            logger.LogError(e, "Export of {What} failed for user {UserId}", what, userId);
            throw;
        }
    }
}
