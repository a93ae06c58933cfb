using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The portal on a real loopback port (Kestrel), for the browser and for anything that must
/// talk to it over real HTTP (the sandbox, webhook callbacks). The factory builds the host
/// twice: the in-memory host it hands back and the Kestrel host it starts and keeps.
/// </summary>
public sealed class PortalServer : PortalAppFactory
{
    private IHost? _kestrelHost;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Services of the Kestrel host: the one the browser talks to.</summary>
    public IServiceProvider LiveServices => _kestrelHost?.Services ?? throw new InvalidOperationException("Server not started.");

    public void EnsureStarted()
    {
        using var _ = CreateDefaultClient();
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var testHost = builder.Build();
        builder.ConfigureWebHost(b => b.UseKestrel().UseUrls("http://127.0.0.1:0"));
        _kestrelHost = builder.Build();
        _kestrelHost.Start();
        WaitUntilStarted(_kestrelHost.Services);
        var addresses = _kestrelHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        testHost.Start();
        WaitUntilStarted(testHost.Services);
        return testHost;
    }

    // Both hosts come from one deferred builder whose "started" signal is shared, so Start() of
    // the second can return while its Program.Main is still running: wait on each host's own lifetime.
    private static void WaitUntilStarted(IServiceProvider services)
    {
        var started = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted;
        if (!started.WaitHandle.WaitOne(TimeSpan.FromSeconds(90)))
            throw new TimeoutException("A portal host did not start within 90 s.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) StopKestrelHost();
        StopQuietly(() => base.Dispose(disposing));
    }

    public override async ValueTask DisposeAsync()
    {
        StopKestrelHost();
        try
        {
            await base.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // See StopQuietly.
        }
    }

    private void StopKestrelHost()
    {
        if (_kestrelHost is not { } host) return;
        _kestrelHost = null;
        StopQuietly(() => host.StopAsync().GetAwaiter().GetResult());
        host.Dispose();
    }

    // Hangfire's server stops by waiting for running jobs until the host's shutdown timeout, and
    // then throws OperationCanceledException. On a loaded 2-core machine a job can outlive that
    // wait; the test is over by then and its assertions have passed, so a cut-short stop is not a failure.
    private static void StopQuietly(Action stop)
    {
        try
        {
            stop();
        }
        catch (OperationCanceledException)
        {
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.All(x => x is OperationCanceledException))
        {
        }
    }
}
