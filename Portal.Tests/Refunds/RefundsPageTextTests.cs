using Portal.Domain.Refunds;

namespace Portal.Tests.Refunds;

/// <summary>The refunds list's empty state says why it is empty: nothing yet, or nothing for these filters.</summary>
public sealed class RefundsPageTextTests
{
    [Fact]
    public void EmptyText_NoFilters_SaysThereAreNoRefundsYetAndWhereTheyComeFrom()
    {
        var text = Portal.Components.Pages.Refunds.Refunds.EmptyTextFor(null, null, null, " ");

        Assert.StartsWith("No refunds yet.", text, StringComparison.Ordinal);
        Assert.Contains("payment page", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RefundStatus.PendingVerification, false, null)]
    [InlineData(null, true, null)]
    [InlineData(null, false, "user-1")]
    public void EmptyText_AnyFilter_SaysNothingMatchesTheFilters(RefundStatus? status, bool withDay, string? admin)
    {
        var day = withDay ? new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc) : (DateTime?)null;

        Assert.Equal("No refunds match these filters.", Portal.Components.Pages.Refunds.Refunds.EmptyTextFor(status, day, null, admin));
    }
}
