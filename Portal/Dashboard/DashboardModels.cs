using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Dashboard;

/// <summary>Everything the dashboard shows, computed in the database for one calendar day.</summary>
public sealed record DashboardSnapshot(
    DateOnly Today,
    bool IsLocalDay,
    string ZoneName,
    IReadOnlyList<CurrencyTotal> CollectedToday,
    IReadOnlyList<StatusCount> PaymentsToday,
    AttemptOutcomes AttemptsToday,
    RefundSummary RefundsToday,
    PendingSummary PendingNow,
    int FlaggedPayments,
    IReadOnlyList<LatestPayment> Latest,
    DashboardChart Chart)
{
    public int PaymentsTodayTotal => PaymentsToday.Sum(s => s.Count);
}

/// <summary>A count and a sum in one currency (amount in minor units).</summary>
public sealed record CurrencyTotal(Currency Currency, int Count, long Amount)
{
    public Money Money => new(Amount, Currency);
}

public sealed record StatusCount(PaymentStatus Status, int Count);

/// <summary>Gateway attempts created today: decided ones split into successful and failed.</summary>
public sealed record AttemptOutcomes(int Successful, int Failed, int Undecided)
{
    public int Decided => Successful + Failed;

    /// <summary>Successful ÷ decided, or null when nothing was decided yet.</summary>
    public double? SuccessRate => Decided == 0 ? null : Successful / (double)Decided;
}

/// <summary>
/// Transactions that were refunded (in part or in full) today, and how much has been refunded
/// on them in each currency.
/// </summary>
public sealed record RefundSummary(int Transactions, IReadOnlyList<CurrencyTotal> Amounts);

/// <summary>Attempts waiting for the gateway or the customer (Requested, NextAction); stale ones have waited too long.</summary>
public sealed record PendingSummary(int Count, int Stale, DateTime? OldestUtc);

public sealed record LatestPayment(string Id, DateTime CreatedAtUtc, string? CustomerName, string? CustomerEmail, Currency Currency,
    long FinalAmount, PaymentStatus Status, PaymentSource Source)
{
    public Money Final => new(FinalAmount, Currency);
}

/// <summary>Payments per day for the last days: count and collected amount by status and currency.</summary>
public sealed record DashboardChart(IReadOnlyList<DateOnly> Days, IReadOnlyList<DailyBucket> Buckets)
{
    public IReadOnlyList<Currency> Currencies => Buckets.Where(b => b.Collected > 0).GroupBy(b => b.Currency)
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Code, StringComparer.Ordinal).Select(g => g.Key).ToList();
}

public sealed record DailyBucket(DateOnly Day, PaymentStatus Status, Currency Currency, int Count, long Collected);
