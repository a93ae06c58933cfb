using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.HtmlRendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Components.Pages.Jobs;
using Portal.Jobs;

namespace Portal.Tests.Components;

/// <summary>The Jobs page's progress line: follows the progress hub without a reload, and stops following once disposed.</summary>
public sealed class JobProgressTests : IAsyncDisposable
{
    private readonly JobProgressHub _hub = new();
    private readonly ServiceProvider _services;
    private readonly HtmlRenderer _renderer;

    public JobProgressTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_hub);
        _services = services.BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
    }

    private Task<HtmlRootComponent> RenderAsync(string jobName) => _renderer.Dispatcher.InvokeAsync(() =>
        _renderer.RenderComponentAsync<JobProgress>(ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(JobProgress.JobName)] = jobName })));

    private Task<string> HtmlAsync(HtmlRootComponent root) => _renderer.Dispatcher.InvokeAsync(() => root.ToHtmlString());

    private static async Task<string> EventuallyAsync(Func<Task<string>> html, Func<string, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        string current;
        while (!condition(current = await html()) && DateTime.UtcNow < until)
            await Task.Delay(50);
        return current;
    }

    [Fact]
    public async Task JobProgress_HubReports_ShowsDoneOfClaimedWithoutReloadAndNothingAfterTheRun()
    {
        var root = await RenderAsync(StatusPollerJob.Name);
        Assert.DoesNotContain("items", await HtmlAsync(root));

        _hub.Report(new JobProgressSnapshot(StatusPollerJob.Name, 7, 200, 0));
        _hub.Report(new JobProgressSnapshot(StatusPollerJob.Name, 7, 200, 50));
        _hub.Report(new JobProgressSnapshot("voucherly-sync", 8, 10, 10));
        Assert.Contains("50 of 200 items", await EventuallyAsync(() => HtmlAsync(root), h => h.Contains("50 of 200", StringComparison.Ordinal)));

        _hub.Report(new JobProgressSnapshot(StatusPollerJob.Name, 7, 400, 380));
        Assert.Contains("380 of 400 items", await EventuallyAsync(() => HtmlAsync(root), h => h.Contains("380 of 400", StringComparison.Ordinal)));

        _hub.End(StatusPollerJob.Name, 7);
        Assert.DoesNotContain("items", await EventuallyAsync(() => HtmlAsync(root), h => !h.Contains("items", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }
}
