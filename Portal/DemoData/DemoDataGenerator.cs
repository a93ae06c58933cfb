using System.Globalization;
using System.Text;
using Portal.Domain.Payments;
using Portal.Domain.Webhooks;

namespace Portal.DemoData;

/// <summary>What to generate: how many payments, from which seed, ending when, over how many days.</summary>
/// <param name="EndUtc">The "now" of the data set: nothing happens after it. Passed in, never read from a clock here.</param>
public sealed record DemoDataSpec(int Payments, ulong Seed, DateTime EndUtc, int Days = 60)
{
    public const ulong DefaultSeed = 20261122;

    public void Validate()
    {
        if (Payments < 0) throw new ArgumentOutOfRangeException(nameof(Payments), "The number of payments cannot be negative.");
        if (Days is < 1 or > 3650) throw new ArgumentOutOfRangeException(nameof(Days), "Days must be 1 to 3650.");
        if (EndUtc.Kind != DateTimeKind.Utc) throw new ArgumentException("The end time must be UTC.", nameof(EndUtc));
    }
}

/// <summary>One generated payment aggregate and the webhook deliveries that would have reported it.</summary>
public sealed record DemoPayment(Payment Payment, IReadOnlyList<WebhookDelivery> Deliveries);

/// <summary>
/// Generates a realistic, reproducible merchant history through the domain model itself
/// (<see cref="Payment.Create"/>, lines, discounts, attempts, status reports, refunds), so every
/// generated payment obeys the same rules as a real one. The same spec always gives the same
/// payments, ids included: payment i depends only on (seed, i) and its slot in the schedule,
/// so payments can be generated one at a time, in any order, on any thread.
/// </summary>
public sealed class DemoDataGenerator
{
    private readonly DateTime[] _times;
    private readonly int _customerPool;

    public DemoDataGenerator(DemoDataSpec spec)
    {
        spec.Validate();
        Spec = spec;
        _times = DemoSchedule.Build(spec.Payments, spec.Seed, spec.EndUtc, spec.Days);
        _customerPool = Math.Max(40, spec.Payments / 3);
    }

    public DemoDataSpec Spec { get; }

    public int Count => _times.Length;

    public IEnumerable<DemoPayment> Generate()
    {
        for (var i = 0; i < _times.Length; i++) yield return Create(i);
    }

    /// <summary>Payment number <paramref name="index"/> (0 = oldest).</summary>
    public DemoPayment Create(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _times.Length);
        return new DemoPaymentBuilder(this, index, DemoRandom.For(Spec.Seed, DemoStream.Payment, index)).Build();
    }

    internal DateTime CreatedAt(int index) => _times[index];

    /// <summary>The id of payment <paramref name="index"/>, computable without generating it (a wallet child names its parent).</summary>
    internal string PaymentId(int index) => DemoIds.New(Ids.PaymentPrefix, _times[index], DemoRandom.For(Spec.Seed, DemoStream.PaymentId, index));

    internal int CustomerIndexOf(int paymentIndex) =>
        DemoRandom.For(Spec.Seed, DemoStream.CustomerOf, paymentIndex).Between(0, _customerPool - 1);

    /// <summary>Customer number <paramref name="customerIndex"/>: the same person every time they come back.</summary>
    internal DemoCustomer Customer(int customerIndex)
    {
        var r = DemoRandom.For(Spec.Seed, DemoStream.Customer, customerIndex);
        var market = r.Weighted(DemoCatalog.Markets.Select(m => (m, m.Weight)).ToList());
        var first = r.Pick(market.FirstNames);
        var last = r.Pick(market.LastNames);
        var local = r.Between(0, 3) switch
        {
            0 => $"{Ascii(first)}.{Ascii(last)}",
            1 => $"{Ascii(first)}{Ascii(last)}{r.Between(1, 99)}",
            2 => $"{Ascii(first)[0]}.{Ascii(last)}",
            _ => $"{Ascii(first)}_{Ascii(last)}{r.Between(70, 99)}",
        };
        var email = $"{local}@{r.Pick(market.MailDomains)}";
        var phone = market.PhonePrefix + r.Digits(market.Country == "US" ? 10 : 8);
        var id = "cus_" + r.Hex(14);
        return new DemoCustomer(customerIndex, market, id, first, last, email, phone);
    }

    /// <summary>Email-safe ASCII: "Jürgen Groß" becomes "jurgen", "gross".</summary>
    private static string Ascii(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            switch (lower)
            {
                case 'ß': builder.Append("ss"); break;
                case 'ł': builder.Append('l'); break;
                case 'ø': builder.Append('o'); break;
                case >= 'a' and <= 'z': builder.Append(lower); break;
                default: break;
            }
        }
        return builder.Length > 0 ? builder.ToString() : "customer";
    }
}

internal sealed record DemoCustomer(int Index, DemoMarket Market, string Id, string FirstName, string LastName, string Email, string Phone)
{
    public string FullName => FirstName + " " + LastName;
}
