using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;

namespace Portal.DemoData;

/// <summary>Progress of a bulk load, reported after each committed chunk.</summary>
public sealed record BulkLoadProgress(int Payments, int TotalPayments, long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The fast path for millions of payments: plain ADO.NET on the SQLite connection, one
/// prepared INSERT per table reused for every row, one transaction per ~50,000 rows, and
/// synchronous=OFF while loading. Rows are written by <see cref="EntityRowWriter"/> from the
/// EF model, so they are the rows the EF path stores for the same generator. Generation runs
/// on a second thread, ahead of the writer.
/// </summary>
public sealed class DemoDataBulkLoader(string connectionString, IModel model)
{
    public const int RowsPerTransaction = 50_000;

    public async Task<BulkLoadProgress> LoadAsync(DemoDataGenerator generator, IProgress<BulkLoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        // Foreign keys hold by construction (every row comes from one aggregate, the payment first); checking
        // them per row is a lookup per child row for nothing.
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = OFF;");

        using var payments = EntityRowWriter.For(model, typeof(Payment), connection);
        using var lines = EntityRowWriter.For(model, typeof(PaymentLine), connection);
        using var discounts = EntityRowWriter.For(model, typeof(PaymentDiscount), connection);
        using var transactions = EntityRowWriter.For(model, typeof(PaymentTransaction), connection);
        using var changes = EntityRowWriter.For(model, typeof(PaymentStatusChange), connection);
        using var deliveries = EntityRowWriter.For(model, typeof(WebhookDelivery), connection);
        var writers = new[] { payments, lines, discounts, transactions, changes, deliveries };

        using var queue = new BlockingCollection<PreparedRows[]>(boundedCapacity: 8);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(() => Produce(generator, writers, queue, stop.Token), stop.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var clock = Stopwatch.StartNew();
        long rows = 0, rowsInTransaction = 0;
        var done = 0;
        var transaction = connection.BeginTransaction();
        try
        {
            foreach (var chunk in queue.GetConsumingEnumerable(stop.Token))
            {
                foreach (var prepared in chunk)
                {
                    foreach (var (writer, row) in prepared.Rows) writers[writer].WriteRow(row);
                    var written = prepared.Rows.Count;
                    rows += written;
                    rowsInTransaction += written;
                    done++;
                    if (rowsInTransaction < RowsPerTransaction) continue;
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction();
                    rowsInTransaction = 0;
                    progress?.Report(new BulkLoadProgress(done, generator.Count, rows, clock.Elapsed));
                }
            }
            await producer; // a generation error surfaces here, before the last chunk is committed
            transaction.Commit();
        }
        catch
        {
            stop.Cancel();
            transaction.Rollback();
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
        Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA optimize;");
        var result = new BulkLoadProgress(done, generator.Count, rows, clock.Elapsed);
        progress?.Report(result);
        return result;
    }

    /// <summary>
    /// Generates payments and reads their rows (conversions, text formats) ahead of the writer, on
    /// another core: the writer thread only binds and steps.
    /// </summary>
    private static void Produce(DemoDataGenerator generator, EntityRowWriter[] writers, BlockingCollection<PreparedRows[]> queue,
        CancellationToken cancellationToken)
    {
        const int chunkSize = 500;
        try
        {
            for (var start = 0; start < generator.Count; start += chunkSize)
            {
                var chunk = new PreparedRows[Math.Min(chunkSize, generator.Count - start)];
                for (var k = 0; k < chunk.Length; k++) chunk[k] = Prepare(generator.Create(start + k), writers);
                queue.Add(chunk, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    /// <summary>A payment's rows in insert order: the payment, then its lines, discounts, attempts, history, deliveries.</summary>
    private static PreparedRows Prepare(DemoPayment demo, EntityRowWriter[] writers)
    {
        var payment = demo.Payment;
        var rows = new List<(int, object?[])>(1 + payment.Lines.Count + payment.Discounts.Count + payment.Transactions.Count
                                              + payment.StatusChanges.Count + demo.Deliveries.Count) { (0, writers[0].ReadRow(payment)) };
        foreach (var line in payment.Lines) rows.Add((1, writers[1].ReadRow(line)));
        foreach (var discount in payment.Discounts) rows.Add((2, writers[2].ReadRow(discount)));
        foreach (var attempt in payment.Transactions) rows.Add((3, writers[3].ReadRow(attempt)));
        foreach (var change in payment.StatusChanges) rows.Add((4, writers[4].ReadRow(change)));
        foreach (var delivery in demo.Deliveries) rows.Add((5, writers[5].ReadRow(delivery)));
        return new PreparedRows(rows);
    }

    private sealed record PreparedRows(List<(int Writer, object?[] Row)> Rows);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
