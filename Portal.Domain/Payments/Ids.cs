using System.Security.Cryptography;

namespace Portal.Domain.Payments;

/// <summary>
/// Domain-generated string ids: a short type prefix ("pay_", "txn_") so an id pasted into the
/// search box says what it is, then a 26-character ULID (48-bit millisecond time + 80 random
/// bits, Crockford base32). Time first keeps new rows at the end of the primary-key index,
/// which matters on a table of millions.
/// </summary>
public static class Ids
{
    public const string PaymentPrefix = "pay";
    public const string TransactionPrefix = "txn";

    /// <summary>Longest id the model stores (a gateway's own id may be adopted as-is).</summary>
    public const int MaxLength = 64;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(string prefix, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var millis = (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        Span<char> chars = stackalloc char[26];
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(millis & 31)];
            millis >>= 5;
        }
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < 26; i++) chars[i] = Alphabet[random[i - 10] & 31];
        return prefix + "_" + new string(chars);
    }

    /// <summary>Accepts an id given by a caller (e.g. a gateway's own id) or throws a readable error.</summary>
    internal static string Validate(string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxLength || id.Any(char.IsWhiteSpace))
            throw new DomainException($"A {what} id must be 1 to {MaxLength} characters without spaces.");
        return id;
    }
}
