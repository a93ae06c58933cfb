using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Portal.Domain.Money;

/// <summary>
/// The ISO 4217 currencies the portal accepts, with their minor-unit exponents as published by
/// ISO (HUF keeps 2 in the standard even though cash has none; JPY and KRW have 0; the Gulf
/// dinars and TND have 3). Adding a currency is adding a line here.
/// </summary>
internal static class CurrencyTable
{
    private static readonly FrozenDictionary<string, Currency> ByCode = new (string Code, int Exponent)[]
    {
        ("EUR", 2), ("USD", 2), ("GBP", 2), ("HUF", 2), ("CHF", 2), ("PLN", 2), ("CZK", 2), ("SEK", 2),
        ("NOK", 2), ("DKK", 2), ("RON", 2), ("BGN", 2), ("RSD", 2), ("TRY", 2), ("UAH", 2), ("ILS", 2),
        ("CAD", 2), ("AUD", 2), ("NZD", 2), ("MXN", 2), ("BRL", 2), ("ARS", 2), ("ZAR", 2), ("INR", 2),
        ("CNY", 2), ("HKD", 2), ("SGD", 2), ("TWD", 2), ("THB", 2), ("MYR", 2), ("IDR", 2), ("PHP", 2),
        ("AED", 2), ("SAR", 2), ("QAR", 2), ("EGP", 2), ("MAD", 2), ("GEL", 2), ("KZT", 2),
        ("JPY", 0), ("KRW", 0), ("ISK", 0), ("CLP", 0), ("VND", 0), ("XOF", 0), ("XAF", 0), ("UGX", 0),
        ("PYG", 0), ("RWF", 0),
        ("BHD", 3), ("KWD", 3), ("JOD", 3), ("TND", 3), ("OMR", 3), ("IQD", 3), ("LYD", 3),
    }.ToFrozenDictionary(e => e.Code, e => new Currency(e.Code, e.Exponent), StringComparer.Ordinal);

    public static IReadOnlyList<Currency> All { get; } = ByCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();

    public static Currency Get(string code) => ByCode[code];

    public static bool TryGet(string upperCode, [NotNullWhen(true)] out Currency? currency) =>
        ByCode.TryGetValue(upperCode, out currency);
}
