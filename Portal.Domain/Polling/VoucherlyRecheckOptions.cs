using System.ComponentModel.DataAnnotations;

namespace Portal.Domain.Polling;

/// <summary>
/// How often the Voucherly sync reads a settled payment again (settings under <c>VoucherlySync</c>,
/// beside the job's own batch size), validated at start-up. See <see cref="VoucherlySync"/> for
/// which payments count as settled-but-changeable.
/// </summary>
public sealed class VoucherlyRecheckOptions
{
    public const string Section = "VoucherlySync";

    /// <summary>
    /// A settled payment (Confirmed) is read again once its last read is this many minutes old
    /// (default 360 = 6 hours), so a refund or reversal made in Voucherly's own back office reaches
    /// the portal within about this long.
    /// </summary>
    [Range(1, 43_200)]
    public int RecheckIntervalMinutes { get; set; } = 360;

    /// <summary>
    /// A settled payment is read again only while it is younger than this many days (default 120):
    /// refunds after that are rare, and reading every old payment forever would not scale.
    /// </summary>
    [Range(1, 3_650)]
    public int RecheckHorizonDays { get; set; } = 120;

    public TimeSpan RecheckInterval => TimeSpan.FromMinutes(RecheckIntervalMinutes);

    public TimeSpan RecheckHorizon => TimeSpan.FromDays(RecheckHorizonDays);
}
