using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The whole portal in memory (TestServer) on its own fresh data folder, in Development with
/// the demo admin. Settings can be overridden per test class.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@portal.local";
    public const string AdminPassword = "Demo-Admin-2026!";

    public PortalAppFactory()
    {
        DataDirectory = TestPaths.NewDataDirectory();
    }

    public string DataDirectory { get; }

    /// <summary>Extra settings (key = configuration path) applied on top of the defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Extra service registrations (fakes) applied after the app's own.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>Starts the host, expecting it to fail; returns every message (type: message) of the exception that stopped it.</summary>
    public string StartupErrorMessages()
    {
        var exception = Record.Exception(() => Services);
        Assert.NotNull(exception);
        var messages = new List<string>();
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            messages.Add(e.GetType().Name + ": " + e.Message);
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (e.InnerException is not null)
                pending.Push(e.InnerException);
        }
        return string.Join(" | ", messages);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Portal:SeedDemoData", "false");
        builder.UseSetting("Portal:DemoRecurring", "false");
        builder.UseSetting("Portal:Admin:Email", AdminEmail);
        builder.UseSetting("Portal:Admin:Password", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (ConfigureTestServices is not null)
            builder.ConfigureServices(ConfigureTestServices);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
