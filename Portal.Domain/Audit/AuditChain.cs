using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Audit;

/// <summary>
/// The audit log's hash chain. Each entry's <see cref="AuditEntry.Hash"/> is the SHA-256, written
/// as 64 lowercase hex digits, of this canonical encoding (version 1):
/// <code>
/// "portal-audit-v1" then, in this order, each field as a 4-byte big-endian length followed by its
/// UTF-8 bytes (a null field is the length 0xFFFFFFFF with no bytes):
///   Sequence (invariant decimal), PreviousHash, OccurredAtUtc ("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
///   ActorId, ActorName, Origin, Action, ResourceType, ResourceId, PaymentId, Before, After,
///   AmountBefore, AmountAfter (invariant decimal), Currency, Details
/// </code>
/// The first entry's PreviousHash is <see cref="Genesis"/>. The database Id is not hashed (the
/// chain's order is <see cref="AuditEntry.Sequence"/>). The same function is registered in SQLite
/// as <c>portal_audit_hash</c> so the migration can hash the rows that existed before the chain.
/// </summary>
public static class AuditChain
{
    public const string Version = "portal-audit-v1";

    /// <summary>The PreviousHash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string ComputeHash(AuditEntry e) => ComputeHash(e.Sequence, e.PreviousHash, e.OccurredAtUtc, e.ActorId, e.ActorName, e.Origin,
        e.Action, e.ResourceType, e.ResourceId, e.PaymentId, e.Before, e.After, e.AmountBefore, e.AmountAfter, e.Currency, e.Details);

    public static string ComputeHash(long sequence, string previousHash, DateTime occurredAtUtc, string actorId, string actorName, string origin,
        string action, string resourceType, string resourceId, string? paymentId, string? before, string? after,
        long? amountBefore, long? amountAfter, string? currency, string? details)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes(Version));
        Field(buffer, sequence.ToString(CultureInfo.InvariantCulture));
        Field(buffer, previousHash);
        Field(buffer, occurredAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Field(buffer, actorId);
        Field(buffer, actorName);
        Field(buffer, origin);
        Field(buffer, action);
        Field(buffer, resourceType);
        Field(buffer, resourceId);
        Field(buffer, paymentId);
        Field(buffer, before);
        Field(buffer, after);
        Field(buffer, amountBefore?.ToString(CultureInfo.InvariantCulture));
        Field(buffer, amountAfter?.ToString(CultureInfo.InvariantCulture));
        Field(buffer, currency);
        Field(buffer, details);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>
    /// <see cref="ComputeHash(long,string,DateTime,string,string,string,string,string,string,string?,string?,string?,long?,long?,string?,string?)"/>
    /// over raw SQLite column values in the order of the encoding (dates as SQLite text, numbers as
    /// integers, NULL as null): what <c>portal_audit_hash</c> runs.
    /// </summary>
    public static string ComputeHashFromColumns(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != 16) throw new ArgumentException("portal_audit_hash takes 16 values.", nameof(values));
        static string? Text(object? v) => v is null or DBNull ? null : Convert.ToString(v, CultureInfo.InvariantCulture);
        static long? Number(object? v) => v is null or DBNull ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture);
        var at = values[2] is DateTime d ? d : DateTime.Parse(Text(values[2])!, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return ComputeHash(Number(values[0])!.Value, Text(values[1])!, at, Text(values[3])!, Text(values[4])!, Text(values[5])!,
            Text(values[6])!, Text(values[7])!, Text(values[8])!, Text(values[9]), Text(values[10]), Text(values[11]),
            Number(values[12]), Number(values[13]), Text(values[14]), Text(values[15]));
    }

    private static void Field(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
            buffer.Write(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}

/// <summary>The end of the audit chain (one row, Id 1): the last sequence and hash, so removing entries at the end is noticed too.</summary>
public sealed class AuditChainHead
{
    public const int SingletonId = 1;

    private AuditChainHead() { }

    public int Id { get; private set; }
    public long LastSequence { get; private set; }
    public string LastHash { get; private set; } = "";
}
