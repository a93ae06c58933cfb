using System.Text;

namespace Portal.Domain.Payments;

/// <summary>
/// The single place card numbers and IBANs are reduced to what may be stored and shown
/// (PCI DSS: at most the first six and last four digits of a PAN). Whatever arrives, full or
/// already masked, is re-masked here so a gateway that masks too little cannot leak through.
/// </summary>
public static class SensitiveData
{
    private const string MaskCharacters = "*Xx•#";

    /// <summary>
    /// Masks a PAN to first six / last four ("411111******1111"). Accepts a full PAN (12-19
    /// digits) or a masked one of that length using * X x • # as mask characters; spaces and
    /// dashes are ignored.
    /// </summary>
    /// <exception cref="CardDataException">Not recognisable as a card number, or its last four are not digits.</exception>
    public static string MaskPan(string pan)
    {
        var compact = Compact(pan);
        if (compact.Length is < 12 or > 19 || !compact.All(c => char.IsAsciiDigit(c) || MaskCharacters.Contains(c)))
            throw new CardDataException("A card number must be 12 to 19 digits or mask characters; it is neither stored nor shown otherwise.");
        var last4 = compact[^4..];
        if (!last4.All(char.IsAsciiDigit)) throw new CardDataException("The last four characters of a card number must be digits.");
        var builder = new StringBuilder(compact.Length);
        for (var i = 0; i < compact.Length; i++)
        {
            var visible = i < 6 || i >= compact.Length - 4;
            builder.Append(visible && char.IsAsciiDigit(compact[i]) ? compact[i] : '*');
        }
        return builder.ToString();
    }

    /// <summary>True when the text could be a full, unmasked card number (12-19 digits).</summary>
    public static bool LooksLikeFullPan(string? text)
    {
        if (text is null) return false;
        var compact = Compact(text);
        return compact.Length is >= 12 and <= 19 && compact.All(char.IsAsciiDigit);
    }

    /// <summary>Masks an IBAN to country+check digits and last four ("DE89**************3000"); short values keep only the last four.</summary>
    /// <exception cref="CardDataException">Fewer than five characters: nothing left to show safely.</exception>
    public static string MaskIban(string iban)
    {
        var compact = Compact(iban).ToUpperInvariant();
        if (compact.Length is < 5 or > 34)
            throw new CardDataException("An IBAN must be 5 to 34 characters; it is neither stored nor shown otherwise.");
        var keepFront = compact.Length >= 12 ? 4 : 0;
        var builder = new StringBuilder(compact.Length);
        for (var i = 0; i < compact.Length; i++)
        {
            var visible = i < keepFront || i >= compact.Length - 4;
            builder.Append(visible && !MaskCharacters.Contains(compact[i]) ? compact[i] : '*');
        }
        return builder.ToString();
    }

    private static string Compact(string value) =>
        new(value.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
}
