using System.Security.Cryptography;
using System.Text;

namespace Portal.Refunds;

/// <summary>
/// The idempotency key a refund dialog sends. It is derived, not random: the same admin on the same
/// transaction gets the same key until a refund attempt is recorded on it. So a second tab, a
/// reload or a reconnect that opens the dialog again before the first refund exists sends the key
/// of the first, and the service answers with that one refund instead of making another. Once an
/// attempt is recorded, a dialog opened afterwards shows the new figures and gets the next key.
/// </summary>
public static class RefundKeys
{
    public static string ForDialog(string userId, string transactionId, int attemptsSoFar)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        ArgumentOutOfRangeException.ThrowIfNegative(attemptsSoFar);
        var who = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId + "\n" + transactionId)))[..24];
        return $"ui:{who}:{attemptsSoFar + 1}";
    }
}
