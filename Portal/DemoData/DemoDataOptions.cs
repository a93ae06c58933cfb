namespace Portal.DemoData;

/// <summary>
/// Size and shape of the demo data a development database gets on first start (settings under
/// <c>Portal</c>; whether to seed at all is <c>Portal:SeedDemoData</c>).
/// </summary>
public sealed class DemoDataOptions
{
    /// <summary>Payments to generate on first start (<c>Portal:DemoPayments</c>).</summary>
    public int DemoPayments { get; set; } = 3000;

    /// <summary>Seed of the generator (<c>Portal:DemoSeed</c>): the same seed gives the same payments.</summary>
    public ulong DemoSeed { get; set; } = DemoDataSpec.DefaultSeed;

    /// <summary>How many days back the demo payments reach (<c>Portal:DemoDays</c>).</summary>
    public int DemoDays { get; set; } = 60;

    /// <summary>Also create demo recurring schedules in every state, with 100 days of history (<c>Portal:DemoRecurring</c>; true in Development).</summary>
    public bool DemoRecurring { get; set; }
}
