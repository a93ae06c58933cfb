using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Domain.Recurring;
using Portal.Domain.Security;
using Portal.Jobs;
using Portal.Recurring;
using Portal.Tests.Gateways;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Recurring;

public sealed class RecurringSettingsTests
{
    [Fact]
    public void RetryDaysNotIncreasing_StartUpFailsNamingTheSetting()
    {
        using var app = new PortalAppFactory();
        app.Settings["Recurring:RetryDays:0"] = "5";
        app.Settings["Recurring:RetryDays:1"] = "3";
        app.Settings["Jobs:Enabled"] = "false";

        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = e as OptionsValidationException ?? e.InnerException as OptionsValidationException
                         ?? (e as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains("Recurring:RetryDays", validation.Message);
    }

    [Fact]
    public async Task Defaults_JobRegisteredAndRunsWithNothingDue()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        using var _ = app.CreateClient();

        var options = app.Service<IOptions<RecurringOptions>>().Value;
        Assert.Equal([3, 5, 7], options.RetryDays);
        Assert.Equal(RecurringAfterLastRetry.PastDue, options.AfterLastRetry);
        var job = Assert.Single(app.Services.GetServices<JobDefinition>(), j => j.Name == "recurring-charges");
        Assert.Equal(typeof(RecurringChargesJob), job.JobType);
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<RecurringChargesJob>().RunAsync(CancellationToken.None);
        Assert.Equal(0, result.ItemsProcessed);
    }

    [Fact]
    public void ExampleSettings_RecurringSectionBindsAndIsValid()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "appsettings.Example.json");
        var config = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file)).Build();
        var options = new RecurringOptions { RetryDays = [] };
        config.GetSection(RecurringOptions.Section).Bind(options);

        Assert.Empty(options.Validate());
        Assert.Equal([3, 5, 7], options.RetryDays);
        Assert.Equal(200, options.BatchSize);
    }
}

/// <summary><c>GET /recurring/export.csv</c> on a real loopback server: Finance and Admin get the CSV, Staff does not.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class RecurringExportEndpointTests(GatewaySandboxFixture fixture)
{
    [Fact]
    public async Task Export_FinanceGetsCsv_StaffIsRefused_AnonymousIsSentToSignIn()
    {
        const string password = "Recurring-Export-2026!";
        var services = fixture.Server.LiveServices;
        var finance = await TestUsers.CreateUniqueAsync(services, "fin", password, Roles.Finance);
        var staff = await TestUsers.CreateUniqueAsync(services, "stf", password, Roles.Staff);

        using var financeClient = await TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, finance.Email!, password);
        using var ok = await financeClient.GetAsync("/recurring/export.csv?status=Active&failures=true");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/csv", ok.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(string.Join(",", RecurringCsv.Header), await ok.Content.ReadAsStringAsync());

        using var staffClient = await TestUsers.SignedInClientAsync(fixture.Server.BaseAddress, staff.Email!, password);
        using var refused = await staffClient.GetAsync("/recurring/export.csv");
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden || TestUsers.IsRedirect(refused), refused.StatusCode.ToString());
        if (TestUsers.IsRedirect(refused)) Assert.Contains("AccessDenied", refused.Headers.Location!.ToString());
        Assert.DoesNotContain("ScheduleId", await refused.Content.ReadAsStringAsync());

        using var anonymous = await fixture.RawClient().GetAsync("/recurring/export.csv");
        Assert.True(TestUsers.IsRedirect(anonymous));
        Assert.Contains("/Account/Login", anonymous.Headers.Location!.ToString());
    }
}
