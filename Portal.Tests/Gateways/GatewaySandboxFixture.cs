using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateways;

/// <summary>
/// One portal on a real loopback port with the sandbox on, shared by the gateway and sandbox
/// tests: adapters talk to it over real HTTP. Short timeouts keep the suite fast (adapter
/// timeout 2 s (headroom on a loaded 2-core machine), so the sandbox's "timeout" behaviours sleep 4 s; pending lasts 0.5 s).
/// </summary>
public sealed class GatewaySandboxFixture : IDisposable
{
    public GatewaySandboxFixture()
    {
        Server = NewServer(TestPaths.NewDataDirectory("gateways"));
        Server.EnsureStarted();
    }

    private PortalServer NewServer(string dataDirectory)
    {
        var server = new PortalServer();
        server.Settings["Portal:DataDirectory"] = dataDirectory;
        foreach (var gateway in new[] { "EComCharge", "Voucherly", "Vcc" })
        {
            server.Settings[$"Gateways:{gateway}:TimeoutSeconds"] = "2";
            server.Settings[$"Gateways:{gateway}:RetryDelayMilliseconds"] = "10";
        }
        server.Settings["Sandbox:Enabled"] = "true";
        server.Settings["Sandbox:PendingSeconds"] = "0.5";
        server.Settings["Logging:LogLevel:Portal"] = "Information";
        server.Settings["Logging:LogLevel:System.Net.Http"] = "Information";
        server.ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        return server;
    }

    public PortalServer Server { get; } = default!;

    /// <summary>Every log line both hosts wrote, for the "never log a token" checks.</summary>
    public CollectingLoggerProvider Logs { get; } = new();

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
