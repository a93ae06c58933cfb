using System.Globalization;

namespace Portal.Payments;

/// <summary>What a search box input is taken to be. Each shape is answered by one index.</summary>
public enum SearchShape
{
    None,
    /// <summary>"pay_…": the payment id (prefix).</summary>
    PaymentId,
    /// <summary>"txn_…": a transaction id (prefix).</summary>
    TransactionId,
    /// <summary>Exactly four digits: a card's last four.</summary>
    CardLast4,
    /// <summary>Contains "@": the start of the customer's email, case-insensitive.</summary>
    Email,
    /// <summary>A UUID: the contact-centre call id (payments) or our tracking id (transactions).</summary>
    Uuid,
    /// <summary>
    /// Anything else: exact payment id, reference id, gateway transaction id (external id 1) or
    /// tracking id, or the start of the customer's name (as typed, or with capitalised words).
    /// </summary>
    Text,
}

/// <summary>
/// Chooses what a search matches from the input's shape, so every search is an index seek
/// instead of a scan over every text column of a million rows.
/// </summary>
public static class SearchShapes
{
    /// <summary>Above every character SQLite's binary collation can store: "abc" ≤ x &lt; "abc" + Max is a prefix match.</summary>
    public const string PrefixEnd = "\uDBFF\uDFFF";

    public static SearchShape Classify(string? input)
    {
        var q = input?.Trim();
        if (string.IsNullOrEmpty(q)) return SearchShape.None;
        if (q.StartsWith("pay_", StringComparison.OrdinalIgnoreCase) && q.Length > 4) return SearchShape.PaymentId;
        if (q.StartsWith("txn_", StringComparison.OrdinalIgnoreCase) && q.Length > 4) return SearchShape.TransactionId;
        if (q.Length == 4 && q.All(char.IsAsciiDigit)) return SearchShape.CardLast4;
        if (q.Contains('@')) return SearchShape.Email;
        if (q.Length == 36 && Guid.TryParseExact(q, "D", out _)) return SearchShape.Uuid;
        return SearchShape.Text;
    }

    /// <summary>Our ids are "pay_"/"txn_" plus upper-case Crockford base32; a pasted lower-case id still matches.</summary>
    public static string NormalizeOwnId(string q) => q[..4].ToLowerInvariant() + q[4..].ToUpperInvariant();

    /// <summary>"anna ROSSI" → "Anna Rossi": names are stored as given, usually capitalised, and compared case-sensitively by the index.</summary>
    public static string Capitalized(string q) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(q.ToLowerInvariant());

    public static string Describe(SearchShape shape) => shape switch
    {
        SearchShape.PaymentId => "payment id",
        SearchShape.TransactionId => "transaction id",
        SearchShape.CardLast4 => "card last 4",
        SearchShape.Email => "customer email",
        SearchShape.Uuid => "call id",
        SearchShape.Text => "id, reference, gateway id or customer name",
        _ => "",
    };
}
