using Portal.Refunds;

namespace Portal.Tests.Refunds;

public sealed class RefundKeysTests
{
    [Fact]
    public void ForDialog_SameAdminTransactionAndAttempts_SameKey_OtherwiseDifferent()
    {
        var key = RefundKeys.ForDialog("user-1", "txn_A", 0);

        Assert.Equal(key, RefundKeys.ForDialog("user-1", "txn_A", 0));
        Assert.NotEqual(key, RefundKeys.ForDialog("user-2", "txn_A", 0));
        Assert.NotEqual(key, RefundKeys.ForDialog("user-1", "txn_B", 0));
        Assert.NotEqual(key, RefundKeys.ForDialog("user-1", "txn_A", 1));
        Assert.EndsWith(":1", key, StringComparison.Ordinal);
    }

    [Fact]
    public void ForDialog_KeyFitsTheRefundServiceRules()
    {
        var key = RefundKeys.ForDialog(new string('u', 500), new string('t', 500), int.MaxValue - 1);

        Assert.InRange(key.Length, 8, Portal.Domain.Refunds.Refund.MaxKeyLength);
        Assert.All(key, ch => Assert.True(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or ':', $"'{ch}' is not allowed in a key"));
    }
}
