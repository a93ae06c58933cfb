namespace Portal.Gateways.EComCharge;

/// <summary>
/// Hard or soft decline, decided once at the adapter edge. A <b>hard</b> decline means the same
/// card will not succeed if tried again (stolen or lost card, "do not honor", closed account,
/// fraud or risk block, invalid or expired card, request rejected as invalid); a <b>soft</b> one
/// may succeed later (insufficient funds, limits, issuer temporarily unavailable).
/// The rule, in order:
/// <list type="number">
/// <item>a failed risk check (<c>be_protected_verification.status == "failed"</c>) is hard;</item>
/// <item>the acquirer's ISO 8583 response code (<c>payment.bank_code</c>), when it is in one of the lists below;</item>
/// <item>otherwise keywords in the gateway's message (hard keywords first);</item>
/// <item>otherwise soft: an unclassified decline may be retried, within the recurring schedule's retry limit.</item>
/// </list>
/// </summary>
public static class EComChargeDeclineRules
{
    /// <summary>Pick up / lost / stolen / do not honor / invalid or closed account / fraud / restricted.</summary>
    public static readonly IReadOnlySet<string> HardCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "04", "05", "07", "12", "14", "15", "41", "43", "46", "54", "57", "59", "62", "63", "R0", "R1", "R3",
    };

    /// <summary>Insufficient funds / limits exceeded / try again / issuer or system unavailable.</summary>
    public static readonly IReadOnlySet<string> SoftCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "19", "51", "61", "65", "75", "91", "96",
    };

    private static readonly string[] HardWords =
    [
        "stolen", "lost card", "pick up", "pick-up", "do not honor", "do not honour", "fraud", "closed",
        "invalid card", "invalid account", "expired card", "restricted", "not permitted", "blocked", "anti-fraud",
    ];

    private static readonly string[] SoftWords =
    [
        "insufficient", "limit", "try again", "temporar", "unavailable", "timeout", "timed out",
    ];

    public static bool IsHard(string? bankCode, string? message, bool riskCheckFailed)
    {
        if (riskCheckFailed)
            return true;
        if (!string.IsNullOrWhiteSpace(bankCode))
        {
            if (HardCodes.Contains(bankCode.Trim()))
                return true;
            if (SoftCodes.Contains(bankCode.Trim()))
                return false;
        }
        if (!string.IsNullOrWhiteSpace(message))
        {
            if (HardWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase)))
                return true;
            if (SoftWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return false;
    }
}
