using Microsoft.Data.Sqlite;

namespace Portal.Tests.DemoData;

/// <summary>Reads whole tables as text, each value SQLite-quoted (so type and value both count), for exact comparisons.</summary>
internal static class DemoTables
{
    public static readonly string[] Names = ["Payments", "PaymentLines", "PaymentDiscounts", "PaymentTransactions", "PaymentStatusChanges", "WebhookDeliveries"];

    public static Dictionary<string, List<string>> DumpAll(string file) => Names.ToDictionary(n => n, n => Dump(file, n));

    public static List<string> Dump(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = $"PRAGMA table_info(\"{table}\")";
            using var reader = info.ExecuteReader();
            while (reader.Read()) columns.Add(reader.GetString(1));
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(" || '|' || ", columns.Select(c => $"quote(\"{c}\")"))} FROM \"{table}\" ORDER BY \"Id\"";
        var rows = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) rows.Add(reader.GetString(0));
        }
        return rows;
    }

    /// <summary>Every text value of every column of the table.</summary>
    public static IEnumerable<(string Column, string Value)> TextValues(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i) && reader.GetValue(i) is string s) yield return (reader.GetName(i), s);
            }
        }
    }

    public static long Scalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
