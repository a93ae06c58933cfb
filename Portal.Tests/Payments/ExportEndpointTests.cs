using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Payments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Payments;

public sealed class ExportEndpointTests
{
    [Theory]
    [InlineData("/payments/export.csv")]
    [InlineData("/transactions/export.csv?status=Failed")]
    public async Task Export_Anonymous_IsSentToSignInWithoutData(string url)
    {
        await using var app = new PortalAppFactory();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExportProgress_IsVisibleOnlyToTheUserWhoStartedIt()
    {
        var progress = new ExportProgress(new FixedClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)));
        var status = progress.Start("abcdef0123456789", "alice");
        status.Wrote(4000);

        Assert.Equal(new ExportSnapshot(4000, false, null), progress.Get("abcdef0123456789", "alice"));
        Assert.Null(progress.Get("abcdef0123456789", "bob"));
        status.Finish();
        Assert.True(progress.Get("abcdef0123456789", "alice")!.Finished);
        Assert.False(ExportProgress.IsValidId("../x"));
        Assert.True(ExportProgress.IsValidId(Guid.NewGuid().ToString("N")));
    }
}
