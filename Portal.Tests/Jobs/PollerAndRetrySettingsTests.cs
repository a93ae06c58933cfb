using Microsoft.Extensions.Options;
using Portal.Domain.Polling;
using Portal.Domain.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Jobs;

/// <summary>StatusPoller and WebhookRetry settings: bound, validated at start-up, documented in appsettings.Example.json with the code's defaults.</summary>
public sealed class PollerAndRetrySettingsTests
{
    [Fact]
    public void Settings_BoundFromConfiguration()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        app.Settings["StatusPoller:BatchSize"] = "50";
        app.Settings["StatusPoller:MaxConcurrency"] = "3";
        app.Settings["StatusPoller:ExpireAfterHours"] = "12";
        app.Settings["WebhookRetry:MaxAttempts"] = "2";
        using var _ = app.CreateClient();

        var poller = app.Service<IOptions<StatusPollerOptions>>().Value;
        Assert.Equal((50, 3, TimeSpan.FromHours(12)), (poller.BatchSize, poller.MaxConcurrency, poller.ExpireAfter));
        Assert.Equal(2, app.Service<IOptions<WebhookRetryOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public void Example_DocumentsEveryKeyWithTheCodesDefaults()
    {
        var example = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Repo("appsettings.Example.json")))!;
        var poller = new StatusPollerOptions();
        var section = example["StatusPoller"]!;
        Assert.Equal((poller.BatchSize, poller.MaxConcurrency, poller.ExpireAfterHours, poller.MaxRunSeconds),
            (section["BatchSize"]!.GetValue<int>(), section["MaxConcurrency"]!.GetValue<int>(), section["ExpireAfterHours"]!.GetValue<int>(),
                section["MaxRunSeconds"]!.GetValue<int>()));
        var retry = new WebhookRetryOptions();
        Assert.Equal((retry.MaxAttempts, retry.BatchSize),
            (example["WebhookRetry"]!["MaxAttempts"]!.GetValue<int>(), example["WebhookRetry"]!["BatchSize"]!.GetValue<int>()));
        foreach (var job in Portal.Jobs.JobCatalog.All)
            Assert.Equal(job.DefaultCron, example["Jobs"]!["Cron"]![job.Name]?.GetValue<string>());
    }

    [Theory]
    [InlineData("StatusPoller:BatchSize", "0", "BatchSize")]
    [InlineData("StatusPoller:MaxConcurrency", "65", "MaxConcurrency")]
    [InlineData("StatusPoller:ExpireAfterHours", "0", "ExpireAfterHours")]
    [InlineData("WebhookRetry:MaxAttempts", "0", "MaxAttempts")]
    public void Setting_OutOfRange_StartUpFailsNamingIt(string key, string value, string name)
    {
        using var app = new PortalAppFactory();
        app.Settings[key] = value;
        app.Settings["Jobs:Enabled"] = "false";

        Assert.Contains(name, app.StartupErrorMessages());
    }
}
