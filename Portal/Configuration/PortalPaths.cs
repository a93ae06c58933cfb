namespace Portal.Configuration;

/// <summary>The resolved data folder and the files that live in it.</summary>
public sealed class PortalPaths
{
    public PortalPaths(string contentRoot, PortalOptions options)
    {
        DataDirectory = Path.GetFullPath(Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.Combine(contentRoot, options.DataDirectory));
    }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "portal.db");

    /// <summary>Hangfire's own storage (queues, recurring registrations), apart from the portal's database.</summary>
    public string HangfireDatabaseFile => Path.Combine(DataDirectory, "hangfire.db");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    public string ExportsDirectory => Path.Combine(DataDirectory, "exports");

    public string ConnectionString => $"Data Source={DatabaseFile};Pooling=True;Default Timeout=30";

    public void EnsureCreated()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(KeysDirectory);
        Directory.CreateDirectory(ExportsDirectory);
    }
}
