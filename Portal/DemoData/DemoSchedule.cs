namespace Portal.DemoData;

/// <summary>
/// When the demo payments were created: spread over the last <c>days</c> days up to the end
/// time, busier recently (the merchant is growing: the newest day has about three times the
/// oldest's traffic), quieter at weekends, and shaped by the hour (little at night, a lunch and
/// an evening peak). Returns one time per payment, ascending, so payment i is the i-th oldest.
/// </summary>
internal static class DemoSchedule
{
    // Relative traffic per UTC hour of day for a European merchant.
    private static readonly double[] HourWeights =
    [
        0.15, 0.08, 0.05, 0.04, 0.05, 0.12, 0.35, 0.8, 1.3, 1.6, 1.8, 2.2,
        2.6, 2.3, 1.8, 1.6, 1.7, 2.0, 2.4, 2.5, 2.1, 1.5, 0.9, 0.4,
    ];

    public static DateTime[] Build(int count, ulong seed, DateTime endUtc, int days)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        if (days < 1) throw new ArgumentOutOfRangeException(nameof(days));
        var result = new DateTime[count];
        if (count == 0) return result;

        var firstDay = endUtc.Date.AddDays(-(days - 1));
        var random = DemoRandom.For(seed, DemoStream.Schedule, -1);
        var weights = new double[days];
        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            var growth = Math.Pow(3.0, d / (double)Math.Max(1, days - 1));
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.75 : 1.0;
            var noise = 0.9 + 0.2 * random.NextDouble();
            var fraction = d == days - 1 ? HourMassBefore(endUtc - endUtc.Date) : 1.0;
            weights[d] = growth * weekend * noise * fraction;
        }

        var perDay = Apportion(count, weights);
        var position = 0;
        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            var limit = d == days - 1 ? endUtc - day : TimeSpan.FromDays(1);
            var dayRandom = DemoRandom.For(seed, DemoStream.Schedule, d);
            var times = new long[perDay[d]];
            for (var k = 0; k < times.Length; k++) times[k] = SampleTicksInDay(dayRandom, limit);
            Array.Sort(times);
            foreach (var ticks in times) result[position++] = day.AddTicks(ticks);
        }
        return result;
    }

    /// <summary>Share of a day's traffic that falls before the given time of day.</summary>
    private static double HourMassBefore(TimeSpan timeOfDay)
    {
        double total = 0, before = 0;
        for (var h = 0; h < 24; h++)
        {
            total += HourWeights[h];
            var covered = Math.Clamp(timeOfDay.TotalHours - h, 0, 1);
            before += HourWeights[h] * covered;
        }
        return before / total;
    }

    /// <summary>A time of day (in ticks, whole milliseconds) below <paramref name="limit"/>, drawn from the hourly shape.</summary>
    private static long SampleTicksInDay(DemoRandom random, TimeSpan limit)
    {
        var hours = Math.Min(24, (int)Math.Ceiling(limit.TotalHours));
        if (hours <= 0) return 0;
        double total = 0;
        for (var h = 0; h < hours; h++) total += HourWeights[h];
        while (true)
        {
            var roll = random.NextDouble() * total;
            var hour = 0;
            while (hour < hours - 1 && roll >= HourWeights[hour])
            {
                roll -= HourWeights[hour];
                hour++;
            }
            var millis = hour * 3_600_000L + random.Between(0, 3_599_999);
            var ticks = millis * TimeSpan.TicksPerMillisecond;
            if (ticks < limit.Ticks) return ticks;
        }
    }

    /// <summary>Largest-remainder split of <paramref name="count"/> in proportion to the weights.</summary>
    private static int[] Apportion(int count, double[] weights)
    {
        var sum = weights.Sum();
        var result = new int[weights.Length];
        var remainders = new (double Remainder, int Index)[weights.Length];
        var assigned = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = count * weights[i] / sum;
            result[i] = (int)Math.Floor(exact);
            assigned += result[i];
            remainders[i] = (exact - result[i], i);
        }
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(count - assigned))
            result[index]++;
        return result;
    }
}
