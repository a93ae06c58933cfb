using Portal.Domain.Polling;
using Portal.Jobs;

namespace Portal.Tests.Jobs;

public sealed class StatusPollerJobTests
{
    [Fact]
    public void Describe_NamesOnlyTheOutcomesThatHappened()
    {
        Assert.Equal("12 polled: 2 changed, 9 still open, 1 expired", StatusPollerJob.Describe(new PollResult(12, 2, 9, 0, 1, 0)));
        Assert.Equal("3 polled: 3 flagged for a person", StatusPollerJob.Describe(new PollResult(3, 0, 0, 0, 0, 3)));
        Assert.StartsWith("Nothing due", StatusPollerJob.Describe(new PollResult(0, 0, 0, 0)));
    }
}
