using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Portal.DemoData;

/// <summary>
/// Writes entities (and the owned values stored in their table) as rows through one prepared
/// INSERT, using the EF model's own column names and value converters, so a row written here
/// is stored as EF would store it (EfPathEqualsBulkPath proves it). Database-generated keys
/// (autoincrement ids) are left to the database, as EF leaves them.
/// Values are bound by position on the native statement: Microsoft.Data.Sqlite binds by
/// parameter name, a lookup per parameter per row that dominated the load time; the text
/// formats below are the ones it uses, so the stored values are the same.
/// </summary>
internal sealed class EntityRowWriter : IDisposable
{
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";
    private const string DecimalFormat = "0.0###########################";

    private readonly List<Column> _columns;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private EntityRowWriter(string table, List<Column> columns, SqliteConnection connection)
    {
        Table = table;
        _columns = columns;
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var sql = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public string Table { get; }

    public static EntityRowWriter For(IModel model, Type clrType, SqliteConnection connection)
    {
        var entityType = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model.");
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{clrType.Name} has no table.");
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var columns = new List<Column>();
        Collect(entityType, store, static entity => entity, columns);
        var duplicate = columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Column {table}.{duplicate.Key} is mapped twice.");
        return new EntityRowWriter(table, columns, connection);
    }

    private static void Collect(IEntityType type, StoreObjectIdentifier store, Func<object, object?> owner, List<Column> columns)
    {
        foreach (var property in type.GetProperties())
        {
            // Owned values share their owner's key column; generated keys are the database's to assign.
            if (property.IsShadowProperty()) continue;
            if (property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never) continue;
            var name = property.GetColumnName(store) ?? throw new InvalidOperationException($"{type.DisplayName()}.{property.Name} has no column.");
            var getter = property.GetGetter();
            columns.Add(new Column(name, entity => owner(entity) is { } o ? getter.GetClrValue(o) : null,
                ((RelationalTypeMapping)property.GetTypeMapping()).Converter));
        }
        foreach (var navigation in type.GetNavigations().Where(n => n.TargetEntityType.IsOwned() && !n.IsCollection))
        {
            var getter = navigation.GetGetter();
            Collect(navigation.TargetEntityType, store, entity => owner(entity) is { } o ? getter.GetClrValue(o) : null, columns);
        }
    }

    /// <summary>
    /// The row's values as SQLite will store them (converted by the model, dates and decimals
    /// already as text). Reads only the entity, so it can run on another thread than the writer.
    /// </summary>
    public object?[] ReadRow(object entity)
    {
        var row = new object?[_columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = _columns[i];
            var value = column.Read(entity);
            if (value is not null && column.Converter is { } converter) value = converter.ConvertToProvider(value);
            row[i] = value switch
            {
                DateTime d => d.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
                decimal m => m.ToString(DecimalFormat, CultureInfo.InvariantCulture),
                int n => (long)n,
                bool b => b ? 1L : 0L,
                null or string or long or double or byte[] => value,
                _ => throw new NotSupportedException($"{Table}: no binding for a {value.GetType().Name} (column {column.Name})."),
            };
        }
        return row;
    }

    /// <summary>Inserts one row read by <see cref="ReadRow"/>, inside whatever transaction the connection has open.</summary>
    public void WriteRow(object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            var index = i + 1;
            Check(row[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                string s => raw.sqlite3_bind_text(_statement, index, s),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                double f => raw.sqlite3_bind_double(_statement, index, f),
                byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
                var other => throw new NotSupportedException($"{Table}: no binding for a {other.GetType().Name}."),
            });
        }
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) Check(rc);
    }

    private void Check(int rc)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_DONE) return;
        throw new SqliteException($"SQLite error {rc} inserting into {Table}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
    }

    public void Dispose() => _statement.Dispose();

    private sealed record Column(string Name, Func<object, object?> Read, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter);
}
