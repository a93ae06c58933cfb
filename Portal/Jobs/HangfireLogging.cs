using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Portal.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (a static). Hangfire.AspNetCore points it at the
/// logger factory of the host configured last, which breaks every other host once that one is
/// disposed (tests run several hosts per process). This provider sends Hangfire's logs to the
/// newest host whose logger factory is still alive.
/// </summary>
internal sealed class HangfireLogging : ILogProvider
{
    public static HangfireLogging Instance { get; } = new();

    private readonly Lock _gate = new();
    private readonly List<ILoggerFactory> _factories = [];

    public void Attach(ILoggerFactory factory)
    {
        lock (_gate) _factories.Add(factory);
    }

    public ILog GetLogger(string name) => new HostLog(this, name);

    private bool Write(string name, HangfireLevel level, Func<string>? message, Exception? exception)
    {
        while (true)
        {
            ILoggerFactory? factory;
            lock (_gate) factory = _factories.Count == 0 ? null : _factories[^1];
            if (factory is null) return false;
            try
            {
                var logger = factory.CreateLogger(name);
                var msLevel = Map(level);
                if (message is null) return logger.IsEnabled(msLevel);
                if (!logger.IsEnabled(msLevel)) return false;
                logger.Log(msLevel, default, message(), exception, static (text, _) => text);
                return true;
            }
            catch (ObjectDisposedException)
            {
                lock (_gate) _factories.Remove(factory);
            }
        }
    }

    private static MsLevel Map(HangfireLevel level) => level switch
    {
        HangfireLevel.Trace => MsLevel.Trace,
        HangfireLevel.Debug => MsLevel.Debug,
        HangfireLevel.Info => MsLevel.Information,
        HangfireLevel.Warn => MsLevel.Warning,
        HangfireLevel.Error => MsLevel.Error,
        _ => MsLevel.Critical,
    };

    private sealed class HostLog(HangfireLogging provider, string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null) =>
            provider.Write(name, logLevel, messageFunc, exception);
    }
}
