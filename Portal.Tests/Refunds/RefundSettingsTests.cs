using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Domain.Refunds;
using Portal.Jobs;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Refunds;

public sealed class RefundSettingsTests
{
    [Fact]
    public void MaxAttemptsPerTransaction_Zero_StartUpFailsNamingTheSetting()
    {
        using var app = new PortalAppFactory();
        app.Settings["Refunds:MaxAttemptsPerTransaction"] = "0";
        app.Settings["Jobs:Enabled"] = "false";

        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = e as OptionsValidationException ?? e.InnerException as OptionsValidationException
                         ?? (e as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains("MaxAttemptsPerTransaction", validation.Message);
    }

    [Fact]
    public void Defaults_TenAttemptsAndRefundVerificationJobRegistered()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        using var _ = app.CreateClient();

        Assert.Equal(10, app.Service<IOptions<RefundOptions>>().Value.MaxAttemptsPerTransaction);
        var job = Assert.Single(app.Services.GetServices<JobDefinition>(), j => j.Name == "refund-verification");
        Assert.Equal(typeof(RefundVerificationJob), job.JobType);
    }

    [Fact]
    public async Task RefundVerificationJob_NothingOpen_RunsAndReportsZero()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        using var _ = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<RefundVerificationJob>().RunAsync(CancellationToken.None);

        Assert.Equal(0, result.ItemsProcessed);
        Assert.Contains("0 succeeded", result.Message);
    }
}
