using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateways;

/// <summary>
/// One portal on a real loopback port with the sandbox on, shared by the gateway and sandbox
/// tests: adapters talk to it over real HTTP. Short timeouts keep the suite fast (adapter
/// timeout 1 s, so the sandbox's "timeout" behaviours sleep 2 s; pending lasts 0.5 s).
/// </summary>
public sealed class GatewaySandboxFixture : IDisposable
{
    public GatewaySandboxFixture()
    {
        var dataDirectory = PreparedDataDirectory();
        Exception? failure = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var server = NewServer(dataDirectory);
            try
            {
                StartFully(server);
                Server = server;
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
                try
                {
                    server.Dispose();
                }
                catch (Exception)
                {
                    // A half-started host may not stop cleanly; the next attempt uses a new one.
                }
            }
        }
        throw new InvalidOperationException("The loopback portal did not start in 3 attempts.", failure);
    }

    private PortalServer NewServer(string dataDirectory)
    {
        var server = new PortalServer();
        server.Settings["Portal:DataDirectory"] = dataDirectory;
        foreach (var gateway in new[] { "EComCharge", "Voucherly", "Vcc" })
        {
            server.Settings[$"Gateways:{gateway}:TimeoutSeconds"] = "1";
            server.Settings[$"Gateways:{gateway}:RetryDelayMilliseconds"] = "10";
        }
        server.Settings["Sandbox:Enabled"] = "true";
        server.Settings["Sandbox:PendingSeconds"] = "0.5";
        server.Settings["Logging:LogLevel:Portal"] = "Information";
        server.Settings["Logging:LogLevel:System.Net.Http"] = "Information";
        server.ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        return server;
    }

    /// <summary>
    /// Builds both hosts and waits for EACH to report started. PortalServer's two hosts come from
    /// one DeferredHostBuilder whose "started" signal is shared, so Start() of one can return
    /// while the other is still in Program.Main; waiting on each host's own lifetime closes that gap.
    /// </summary>
    private static void StartFully(PortalServer server)
    {
        WaitUntilStarted(server.Services);
        WaitUntilStarted(server.LiveServices);
        server.EnsureStarted();
    }

    private static void WaitUntilStarted(IServiceProvider services)
    {
        var started = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted;
        if (!started.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
            throw new TimeoutException("A portal host did not start within 60 s.");
    }

    public PortalServer Server { get; } = default!;

    /// <summary>Every log line both hosts wrote, for the "never log a token" checks.</summary>
    public CollectingLoggerProvider Logs { get; } = new();

    /// <summary>
    /// A data folder already migrated and holding the first admin. PortalServer's two hosts run
    /// Program.Main concurrently (DeferredHostBuilder.Build lets it continue in the background),
    /// and on an empty folder both may try to create the first admin, failing start-up with
    /// "already taken" now and then. One in-memory host prepares the folder first.
    /// </summary>
    private static string PreparedDataDirectory()
    {
        var directory = TestPaths.NewDataDirectory("gateways");
        using var prepare = new PortalAppFactory();
        prepare.Settings["Portal:DataDirectory"] = directory;
        prepare.CreateClient().Dispose();
        return directory;
    }

    public T Service<T>() where T : notnull => Server.LiveServices.GetRequiredService<T>();

    /// <summary>A plain client for the portal itself (no credentials, no redirects followed).</summary>
    public HttpClient RawClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class GatewaySandboxCollection : ICollectionFixture<GatewaySandboxFixture>
{
    public const string Name = "gateway sandbox";
}

/// <summary>Keeps every formatted log message (with its structured values) in memory.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{category} {formatter(state, exception)} {values} {exception}");
        }
    }
}
